package pbx.presence.connector.threecx;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Registration;
import pbx.presence.connector.PollException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against a real HTTP server on loopback that answers like the seed-002 wrapper. */
class ThreeCxHttpFetcherTest {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    /** Per-path behaviour overriding the normal wrapper answer. */
    private interface Behaviour {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final Map<String, Behaviour> overrides = new ConcurrentHashMap<>();
    private final List<String> requested = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);
    private ExecutorService serverThreads;
    private HttpServer server;
    private String baseUrl;
    private final List<ThreeCxHttpFetcher> fetchers = new ArrayList<>();

    @BeforeEach
    void startWrapper() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-3cx-wrapper");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requested.add(path);
            try {
                Behaviour b = overrides.get(path);
                if (b != null) {
                    b.handle(exchange);
                } else {
                    answer(exchange, 200, wrapperAnswer(path));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client gave up on this exchange
            } finally {
                exchange.close();
            }
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterEach
    void stopWrapper() {
        fetchers.forEach(ThreeCxHttpFetcher::close);
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** What the seed-002 wrapper answers: 201 on a call, 202 idle and out of office, 203 unregistered. */
    private static String wrapperAnswer(String path) {
        return switch (path) {
            case "/showallcalls" -> "ID=98741:CCID=1:S=Connected:DN=201:EP=+4930123456:REC=Stop<br>";
            case "/showstatus/201" -> "    CURRENT_STATUS=Available";
            case "/showstatus/202" -> "<html><body>    CURRENT_STATUS=Out of office</body></html>";
            case "/showstatus/203" -> "    CURRENT_STATUS=Away";
            case "/dnregs/201" -> "1-sip:201@192.168.10.51:5060-Yealink SIP-T46S 66.86.0.15";
            case "/dnregs/202" -> "2-sip:202@192.168.10.52:5060-3CXPhone for Windows 16.0.8.25";
            case "/dnregs/203" -> "error";
            default -> path.startsWith("/showstatus/") ? "    CURRENT_STATUS=Available"
                    : path.startsWith("/dnregs/") ? "9-sip:x@10.0.0.9:5060-Phone" : "idle";
        };
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private ThreeCxHttpFetcher fetcher(List<String> extensions) {
        return track(new ThreeCxHttpFetcher(baseUrl, extensions, TIMEOUT));
    }

    private ThreeCxHttpFetcher track(ThreeCxHttpFetcher f) {
        fetchers.add(f);
        return f;
    }

    private static PollException pollFails(ThreeCxHttpFetcher fetcher) {
        return assertTimeoutPreemptively(Duration.ofSeconds(3), () -> assertThrows(PollException.class, fetcher::fetch));
    }

    @Test
    void normalPollFetchesEveryPathOnceInConfiguredOrder() {
        ThreeCxHttpFetcher fetcher = fetcher(List.of("203", "201", "202"));
        ThreeCxHttpPayload payload = fetcher.fetch();

        assertEquals(List.of("203", "201", "202"), payload.extensions());
        assertEquals("ID=98741:CCID=1:S=Connected:DN=201:EP=+4930123456:REC=Stop<br>", payload.showAllCalls());
        assertEquals("    CURRENT_STATUS=Available", payload.statusByExtension().get("201"));
        assertEquals("error", payload.registrationByExtension().get("203"));
        assertEquals(List.of("/dnregs/201", "/dnregs/202", "/dnregs/203", "/showallcalls",
                "/showstatus/201", "/showstatus/202", "/showstatus/203"), requested.stream().sorted().toList());

        List<ExtensionPresence> out = new ThreeCxHttpTranslator("hq", ThreeCxProfileMapping.defaults())
                .translate(payload, Instant.now());
        assertEquals(Registration.NOT_REGISTERED, out.get(0).registration());
        assertEquals(LineState.TALKING, out.get(1).line());
        assertEquals("Out of office", out.get(2).presenceLabel());
    }

    @Test
    void isSafeToCallRepeatedly() {
        ThreeCxHttpFetcher fetcher = fetcher(List.of("201", "202"));
        for (int i = 0; i < 5; i++) {
            assertEquals(2, fetcher.fetch().extensions().size());
        }
        assertEquals(5 * 5, requested.size());
    }

    @Test
    void non200FailsThePollNamingThePath() {
        overrides.put("/dnregs/202", exchange -> answer(exchange, 500, "Internal error"));
        PollException e = pollFails(fetcher(List.of("201", "202")));
        assertEquals("GET /dnregs/202: HTTP 500", e.getMessage());
    }

    @Test
    void notFoundOnShowAllCalls() {
        overrides.put("/showallcalls", exchange -> answer(exchange, 404, ""));
        assertEquals("GET /showallcalls: HTTP 404", pollFails(fetcher(List.of("201"))).getMessage());
    }

    @Test
    void aRequestThatNeverGetsAnAnswerTimesOut() {
        overrides.put("/showstatus/202", exchange -> release.await());
        ThreeCxHttpFetcher fetcher = fetcher(List.of("201", "202", "203"));
        PollException e = pollFails(fetcher);
        assertEquals("GET /showstatus/202: timed out after 500 ms", e.getMessage());
        overrides.clear();
        assertEquals(3, fetcher.fetch().extensions().size(), "the next poll works again");
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutToo() {
        overrides.put("/dnregs/201", exchange -> {
            exchange.sendResponseHeaders(200, 100);
            OutputStream out = exchange.getResponseBody();
            out.write("1-sip:20".getBytes(StandardCharsets.UTF_8));
            out.flush();
            release.await();
        });
        PollException e = pollFails(fetcher(List.of("201")));
        assertEquals("GET /dnregs/201: timed out after 500 ms", e.getMessage());
    }

    @Test
    void thePollDeadlineBoundsTheWholeFetch() {
        overrides.put("/showstatus/202", exchange -> release.await());
        ThreeCxHttpFetcher fetcher = track(new ThreeCxHttpFetcher(baseUrl, List.of("201", "202"),
                Duration.ofSeconds(10), Duration.ofMillis(300), 8));
        PollException e = pollFails(fetcher);
        assertEquals("GET /showstatus/202: no answer within the poll deadline of 300 ms", e.getMessage());
    }

    @Test
    void connectionRefusedFailsThePoll() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ThreeCxHttpFetcher fetcher = track(new ThreeCxHttpFetcher("http://127.0.0.1:" + port, List.of("201"), TIMEOUT));
        PollException e = pollFails(fetcher);
        assertTrue(e.getMessage().matches("GET /(showallcalls|showstatus/201|dnregs/201): connection to 127\\.0\\.0\\.1:"
                + port + " failed \\(.+\\)"), e.getMessage());
    }

    @Test
    void atMostMaxConcurrencyRequestsAreInFlight() {
        int max = 4;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger highest = new AtomicInteger();
        CountDownLatch firstWave = new CountDownLatch(max);
        Behaviour counting = exchange -> {
            highest.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                firstWave.countDown();
                firstWave.await(2, TimeUnit.SECONDS); // the first wave waits until it is complete
            } finally {
                // out of flight before the answer leaves: the client may send its next request as soon
                // as it has read this one, possibly before a decrement placed after the answer ran
                inFlight.decrementAndGet();
            }
            answer(exchange, 200, wrapperAnswer(exchange.getRequestURI().getPath()));
        };
        List<String> extensions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String ext = String.valueOf(300 + i);
            extensions.add(ext);
            overrides.put("/showstatus/" + ext, counting);
            overrides.put("/dnregs/" + ext, counting);
        }
        overrides.put("/showallcalls", counting);
        ThreeCxHttpFetcher fetcher = track(new ThreeCxHttpFetcher(baseUrl, extensions, Duration.ofSeconds(5),
                Duration.ofSeconds(10), max));
        ThreeCxHttpPayload payload = assertTimeoutPreemptively(Duration.ofSeconds(10), fetcher::fetch);
        assertEquals(extensions, payload.extensions());
        assertEquals(max, highest.get());
        assertEquals(41, requested.size());
    }

    @Test
    void clientThreadsAreDaemonsAndCloseEndsTheFetcher() {
        ThreeCxHttpFetcher fetcher = fetcher(List.of("201"));
        fetcher.fetch();
        List<Thread> ours = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("3cx-http-fetcher-")).toList();
        assertTrue(ours.stream().allMatch(Thread::isDaemon), ours::toString);
        fetcher.close();
        assertThrows(IllegalStateException.class, fetcher::fetch);
        fetcher.close(); // idempotent
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new ThreeCxHttpFetcher(baseUrl, List.of("201", " "), TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new ThreeCxHttpFetcher(baseUrl, List.of("201", "201"), TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new ThreeCxHttpFetcher(baseUrl, List.of("2/01"), TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new ThreeCxHttpFetcher("ftp://host", List.of("201"), TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new ThreeCxHttpFetcher("not a url", List.of("201"), TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new ThreeCxHttpFetcher(baseUrl, List.of("201"), Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new ThreeCxHttpFetcher(baseUrl, List.of("201"), TIMEOUT, TIMEOUT, 0));
    }
}
