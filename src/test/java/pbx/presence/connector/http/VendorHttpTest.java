package pbx.presence.connector.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.connector.PollException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared HTTP layer against a plain JDK HttpServer on loopback: body-size limit, a stalled body,
 * one token refresh on 401, one wait on 429, and error messages that carry the vendor's own words
 * but never a credential.
 */
class VendorHttpTest {

    /** What the server does for one path. */
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<String> authorization = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<VendorHttp> clients = new ArrayList<>();
    private HttpServer server;
    private ExecutorService pool;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vendor-http-test-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            authorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            try {
                Handler h = handlers.get(path);
                if (h == null) {
                    send(exchange, 404, "text/plain", "no handler for " + path);
                } else {
                    h.handle(exchange);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client gave up
            } finally {
                exchange.close();
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        clients.forEach(VendorHttp::close);
        server.stop(0);
        pool.shutdownNow();
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    private VendorHttp http(long timeoutMillis, long maxBody, TokenCache tokens) {
        Duration t = Duration.ofMillis(timeoutMillis);
        VendorHttp h = new VendorHttp(base, new VendorHttp.Settings(t, t, maxBody, Duration.ofSeconds(5), true), tokens, Clock.systemUTC());
        clients.add(h);
        return h;
    }

    private VendorHttp http() {
        return http(3000, 1_000_000, null);
    }

    private int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    /** Issues Bearer t1, t2 … and counts. */
    private static final class Issuer implements java.util.function.Supplier<Token> {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Token get() {
            return Token.bearer("t" + calls.incrementAndGet(), Duration.ofHours(1));
        }
    }

    @Test
    void returnsStatusAndBodyOfA2xxAnswer() {
        handlers.put("/ok", ex -> send(ex, 200, "application/json", "{\"a\":1}"));
        handlers.put("/none", ex -> send(ex, 204, "application/json", ""));
        VendorHttp.Response r = http().get("/ok?x=1");
        assertEquals(200, r.status());
        assertEquals("{\"a\":1}", r.text());
        VendorHttp.Response none = http().get("none");
        assertEquals(204, none.status());
        assertArrayEquals(new byte[0], none.body());
    }

    @Test
    void aBodyOverTheLimitFailsAndOneAtTheLimitPasses() {
        handlers.put("/big", ex -> send(ex, 200, "text/plain", "x".repeat(2000)));
        handlers.put("/exact", ex -> send(ex, 200, "text/plain", "y".repeat(1000)));
        VendorHttp h = http(3000, 1000, null);
        assertEquals("GET /big: response body larger than 1000 bytes", assertThrows(PollException.class, () -> h.get("/big")).getMessage());
        assertEquals(1000, h.get("/exact").body().length);
    }

    @Test
    void aStalledBodyTimesOut() {
        handlers.put("/stall", ex -> {
            ex.sendResponseHeaders(200, 100);
            OutputStream out = ex.getResponseBody();
            out.write("0123456789".getBytes(StandardCharsets.UTF_8));
            out.flush();
            release.await(); // the other 90 bytes never come
        });
        VendorHttp h = http(400, 1_000_000, null);
        long t0 = System.nanoTime();
        assertEquals("GET /stall: timed out after 400 ms", assertThrows(PollException.class, () -> h.get("/stall")).getMessage());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 350 && ms < 5000, "gave up after the timeout: " + ms + " ms");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        handlers.put("/silent", ex -> release.await());
        VendorHttp h = http(400, 1_000_000, null);
        assertEquals("GET /silent?a=b: timed out after 400 ms", assertThrows(PollException.class, () -> h.get("/silent?a=b")).getMessage());
    }

    @Test
    void a401RefreshesTheTokenOnceAndRetries() {
        handlers.put("/api", ex -> {
            boolean fresh = "Bearer t2".equals(ex.getRequestHeaders().getFirst("Authorization"));
            send(ex, fresh ? 200 : 401, "application/json", fresh ? "{}" : "{\"error\":{\"code\":\"invalid_token\",\"message\":\"expired\"}}");
        });
        Issuer issuer = new Issuer();
        VendorHttp h = http(3000, 1_000_000, new TokenCache(issuer, Clock.systemUTC()));
        assertEquals(200, h.get("/api").status());
        assertEquals(List.of("Bearer t1", "Bearer t2"), authorization);
        assertEquals(2, issuer.calls.get());
        assertEquals(200, h.get("/api").status());
        assertEquals(2, issuer.calls.get(), "the fresh token is cached");
    }

    @Test
    void a401WithAFreshTokenFailsClearly() {
        handlers.put("/api", ex -> send(ex, 401, "application/json", "{\"error\":{\"code\":\"invalid_token\",\"message\":\"expired\"}}"));
        Issuer issuer = new Issuer();
        VendorHttp h = http(3000, 1_000_000, new TokenCache(issuer, Clock.systemUTC()));
        PollException e = assertThrows(PollException.class, () -> h.get("/api"));
        assertEquals("GET /api: HTTP 401 even with a fresh token: invalid_token: expired", e.getMessage());
        assertEquals(2, issuer.calls.get(), "exactly one refresh");
        assertEquals(2, hits("/api"));
        assertFalse(e.getMessage().contains("t1") || e.getMessage().contains("t2"), "no token in the message");
    }

    @Test
    void withoutTokensA401IsJustAnError() {
        handlers.put("/api", ex -> send(ex, 401, "text/plain", "Unauthorized"));
        assertEquals("GET /api: HTTP 401: Unauthorized", assertThrows(PollException.class, () -> http().get("/api")).getMessage());
        assertEquals(1, hits("/api"));
        assertEquals(List.of("null"), authorization, "no Authorization header without a token cache");
    }

    @Test
    void a429IsWaitedOutOnceAsRetryAfterAsks() {
        AtomicInteger n = new AtomicInteger();
        handlers.put("/limited", ex -> {
            if (n.incrementAndGet() == 1) {
                ex.getResponseHeaders().set("Retry-After", "1");
                send(ex, 429, "text/plain", "slow down");
            } else {
                send(ex, 200, "text/plain", "fine");
            }
        });
        long t0 = System.nanoTime();
        assertEquals("fine", http().get("/limited").text());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 950 && ms < 4000, "waited about one second: " + ms + " ms");
        assertEquals(2, hits("/limited"));
    }

    @Test
    void a429AfterTheWaitFails() {
        handlers.put("/limited", ex -> {
            ex.getResponseHeaders().set("Retry-After", "1");
            send(ex, 429, "application/json", "{\"error\":{\"code\":\"too_many_requests\",\"message\":\"later\"}}");
        });
        assertEquals("GET /limited: HTTP 429: too_many_requests: later",
                assertThrows(PollException.class, () -> http().get("/limited")).getMessage());
        assertEquals(2, hits("/limited"), "one wait, one retry, no more");
    }

    @Test
    void aRetryAfterBeyondTheLimitFailsAtOnce() {
        handlers.put("/limited", ex -> {
            ex.getResponseHeaders().set("Retry-After", "3600");
            send(ex, 429, "text/plain", "");
        });
        long t0 = System.nanoTime();
        assertEquals("GET /limited: HTTP 429, rate limited for 3600 s (longer than the 5 s a poll waits)",
                assertThrows(PollException.class, () -> http().get("/limited")).getMessage());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 3000, "did not wait");
        assertEquals(1, hits("/limited"));
    }

    @Test
    void errorMessagesCarryTheVendorsOwnWords() {
        handlers.put("/voipnow", ex -> send(ex, 400, "application/json",
                "{\"error\":{\"code\":\"count_invalid\",\"message\":\"Value supplied in count parameter is missing or invalid.\"}}"));
        handlers.put("/telecomx", ex -> send(ex, 404, "application/json", "{\"code\":\"NOT_FOUND\",\"message\":\"no such extension\"}"));
        handlers.put("/telphin", ex -> send(ex, 403, "application/json", "{\"message\":\"Forbidden for this client\"}"));
        handlers.put("/oauth", ex -> send(ex, 400, "application/json", "{\"error\":\"invalid_grant\",\"error_description\":\"bad\"}"));
        handlers.put("/html", ex -> send(ex, 502, "text/html", "<html><body><h1>Bad Gateway</h1></body></html>\n<p>nginx</p>"));
        handlers.put("/long", ex -> send(ex, 500, "text/plain", "z".repeat(500)));
        handlers.put("/empty", ex -> send(ex, 503, "text/plain", ""));
        VendorHttp h = http();
        assertEquals("GET /voipnow?count=9999: HTTP 400: count_invalid: Value supplied in count parameter is missing or invalid.",
                assertThrows(PollException.class, () -> h.get("/voipnow?count=9999")).getMessage());
        assertEquals("GET /telecomx: HTTP 404: NOT_FOUND: no such extension", assertThrows(PollException.class, () -> h.get("/telecomx")).getMessage());
        assertEquals("GET /telphin: HTTP 403: Forbidden for this client", assertThrows(PollException.class, () -> h.get("/telphin")).getMessage());
        assertEquals("GET /oauth: HTTP 400: invalid_grant: bad", assertThrows(PollException.class, () -> h.get("/oauth")).getMessage());
        assertEquals("GET /html: HTTP 502: Bad Gateway", assertThrows(PollException.class, () -> h.get("/html")).getMessage());
        assertEquals("GET /long: HTTP 500: " + "z".repeat(200) + "…", assertThrows(PollException.class, () -> h.get("/long")).getMessage());
        assertEquals("GET /empty: HTTP 503", assertThrows(PollException.class, () -> h.get("/empty")).getMessage());
    }

    @Test
    void noCredentialEverAppearsInAMessage() {
        handlers.put("/api", ex -> send(ex, 500, "text/plain", "internal error"));
        TokenCache tokens = new TokenCache(() -> Token.bearer("sekrit-token-value", Duration.ofHours(1)), Clock.systemUTC());
        PollException e = assertThrows(PollException.class, () -> http(3000, 1000, tokens).get("/api"));
        assertEquals("GET /api: HTTP 500: internal error", e.getMessage());
        assertEquals(List.of("Bearer sekrit-token-value"), authorization, "sent as a header, nowhere else");
    }

    @Test
    void postUnauthenticatedSendsTheBodyWithoutTheToken() {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        handlers.put("/login", ex -> {
            bodies.add(ex.getRequestHeaders().getFirst("Content-Type") + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            send(ex, 200, "application/json", "{\"token\":\"x\"}");
        });
        Issuer issuer = new Issuer();
        VendorHttp h = http(3000, 1000, new TokenCache(issuer, Clock.systemUTC()));
        assertEquals("{\"token\":\"x\"}", h.postUnauthenticated("/login", "application/json", "{\"u\":\"a\"}").text());
        assertEquals(List.of("application/json {\"u\":\"a\"}"), bodies);
        assertEquals(List.of("null"), authorization);
        assertEquals(0, issuer.calls.get());
    }

    @Test
    void aRefusedConnectionIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        VendorHttp h = new VendorHttp("http://127.0.0.1:" + closedPort, VendorHttp.Settings.defaults(), null, Clock.systemUTC());
        clients.add(h);
        assertEquals("GET /x: connection refused", assertThrows(PollException.class, () -> h.get("/x")).getMessage());
    }

    @Test
    void baseUrlsAreChecked() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new VendorHttp("ftp://pbx", VendorHttp.Settings.defaults(), null, Clock.systemUTC())).getMessage()
                .contains("must start with http:// or https://"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VendorHttp("http://admin:hunter2@pbx:8080", VendorHttp.Settings.defaults(), null, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("must not carry credentials"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        VendorHttp h = http();
        assertEquals(base + "/a/b?c=d", h.resolve("a/b?c=d").toString());
        assertEquals(base + "/a", h.resolve("/a").toString());
        assertNull(h.resolve("/a").getQuery());
    }
}
