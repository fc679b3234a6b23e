package pbx.presence.bench;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.http.UrlFetcher;
import pbx.presence.connector.http.VendorHttp;
import pbx.presence.connector.threecx.ThreeCxCallControlTranslator;
import pbx.presence.connector.threecx.ThreeCxProfileMapping;
import pbx.presence.connector.voipnow.VoipNowFetcher;
import pbx.presence.connector.voipnow.VoipNowPaging;
import pbx.presence.connector.voipnow.VoipNowPayload;
import pbx.presence.connector.voipnow.VoipNowTranslator;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;
import pbx.presence.demo.VoipNowSimulator;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 13 item 1: what one poll's ingest (fetch + translate) costs against its floor, both over
 * real HTTP on loopback in the same run. Not a test; results go to docs/benchmarks.md. Run with
 * {@code mvn -q -Dbuild.dir=/tmp/bench test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=pbx.presence.bench.IngestFloorBenchmark -Dexec.args="100000"}.
 *
 * <ul>
 *   <li>VoipNow: the simulator serves N extensions in pages of 5000 (its startIndex limit raised so
 *       plain paging reaches them all). Floor: a plain JDK {@link HttpClient} GET of each page with a
 *       bearer token, then Jackson {@code readTree} of each body. Ingest: {@link VoipNowFetcher#fetch}
 *       then {@link VoipNowTranslator#translate}, exactly what a poll's two beans run.</li>
 *   <li>3CX Call Control (≈2 KB per extension): the simulator serves the whole array on one URL.
 *       Floor: JDK GET + {@code readTree}; ingest: {@link UrlFetcher#fetch} then
 *       {@link ThreeCxCallControlTranslator#translate}. The bytes are the simulator's, rendered once per
 *       PBX state and served by a loopback JDK HttpServer: the simulator writes its 200 MB afresh per
 *       request, which would swamp both sides.</li>
 *   <li>For both, the same bytes are also timed in memory (no HTTP): readTree alone against what the
 *       connector does with them. That ratio is the stricter one.</li>
 * </ul>
 * Each is timed with nothing changed and again after 1% of the extensions took a call; floor and
 * ingest runs alternate so that load from other processes hits both alike. Change detection is not
 * included.
 */
public final class IngestFloorBenchmark {

    private static final int WARMUP = 2;
    private static final int RUNS = 5;
    private static final int PAGE = 5000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String only = args.length > 1 ? args[1] : "all";
        System.out.printf("extensions: %,d   JVM: %s, %d cores, max heap %,d MB%n", n, Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        if (!only.equals("3cx")) {
            voipNow(n);
        }
        if (!only.equals("voipnow")) {
            threeCx(n);
        }
    }

    // ---- VoipNow ---------------------------------------------------------------------------------

    private static void voipNow(int n) throws Exception {
        SimulatedPbx pbx = pbx(n);
        try (VoipNowSimulator sim = new VoipNowSimulator(pbx, "127.0.0.1", 0, "bench", "bench-secret")) {
            sim.setMaxStartIndex(n);
            sim.start();
            VoipNowPaging paging = VoipNowPaging.defaults().withPageSize(PAGE).withMaxStartIndex(n).withPartitionByPrefix(false);
            VendorHttp.Settings settings = new VendorHttp.Settings(Duration.ofSeconds(60), Duration.ofSeconds(60),
                    512L * 1024 * 1024, Duration.ofSeconds(5), true);
            VoipNowTranslator translator = new VoipNowTranslator("bench");
            String token = token(sim);
            List<URI> pages = new ArrayList<>();
            for (int start = 0; start < n; start += PAGE) {
                pages.add(URI.create(sim.presenceUrl() + "?count=" + PAGE + "&startIndex=" + start));
            }
            try (VoipNowFetcher fetcher = new VoipNowFetcher(sim.baseUrl(), "bench", "bench-secret", paging, settings,
                    Clock.systemUTC())) {
                Runnable floor = () -> {
                    for (URI page : pages) {
                        readTree(get(page, token));
                    }
                };
                Runnable ingest = () -> {
                    List<ExtensionPresence> out = translator.translate(fetcher.fetch(), Instant.now());
                    if (out.size() != n) {
                        throw new IllegalStateException("translated " + out.size() + " of " + n);
                    }
                };
                List<byte[]> bodies = new ArrayList<>();
                for (URI page : pages) {
                    bodies.add(get(page, token));
                }
                System.out.printf("%nVoipNow: %d pages of %,d, %,.1f MB in all%n", pages.size(), PAGE,
                        bodies.stream().mapToLong(b -> b.length).sum() / 1e6);
                compare("VoipNow, nothing changed", floor, ingest);
                compare("VoipNow, in memory (the same pages, no HTTP): readTree vs parse pages + translate",
                        () -> bodies.forEach(IngestFloorBenchmark::readTree),
                        () -> translator.translate(VoipNowPayload.ofBodies(bodies), Instant.now()));
                change(pbx, n);
                compare("VoipNow, 1% changed", floor, ingest);
            }
        }
    }

    /** A bearer token from the simulator, as the floor's plain client sends it. */
    static String token(VoipNowSimulator sim) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(sim.baseUrl() + VoipNowSimulator.TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=bench&client_secret=bench-secret"))
                .build();
        return Json.MAPPER.readTree(CLIENT.send(r, HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
    }

    // ---- 3CX Call Control ------------------------------------------------------------------------

    private static void threeCx(int n) throws Exception {
        SimulatedPbx pbx = pbx(n);
        // the simulator writes its 200 MB answer afresh per request, which would dwarf both sides; a
        // loopback server answers with the simulator's bytes, rendered once per PBX state
        ThreeCxCallControlSimulator sim = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0);
        AtomicReference<byte[]> served = new AtomicReference<>(sim.extensionsJson().getBytes(StandardCharsets.UTF_8));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(ThreeCxCallControlSimulator.DEFAULT_PATH, exchange -> {
            byte[] body = served.get();
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        String extensionsUrl = "http://127.0.0.1:" + server.getAddress().getPort() + ThreeCxCallControlSimulator.DEFAULT_PATH;
        try {
            URI url = URI.create(extensionsUrl);
            ThreeCxCallControlTranslator translator = new ThreeCxCallControlTranslator("bench", ThreeCxProfileMapping.defaults(), false);
            try (UrlFetcher fetcher = new UrlFetcher(extensionsUrl, new VendorHttp.Settings(Duration.ofMinutes(2), Duration.ofMinutes(2),
                    1L << 30, Duration.ofSeconds(30), true))) {
                byte[] body = fetcher.fetch();
                System.out.printf("%n3CX Call Control: one body of %,.1f MB%n", body.length / 1e6);
                Runnable floor = () -> readTree(get(url, null));
                Runnable ingest = () -> {
                    List<ExtensionPresence> out = translator.translate(fetcher.fetch(), Instant.now());
                    if (out.size() != n) {
                        throw new IllegalStateException("translated " + out.size() + " of " + n);
                    }
                };
                compare("3CX Call Control, nothing changed", floor, ingest);
                compare("3CX Call Control, in memory (the same bytes, no HTTP): readTree vs translate",
                        () -> readTree(body), () -> translator.translate(body, Instant.now()));
                change(pbx, n);
                served.set(sim.extensionsJson().getBytes(StandardCharsets.UTF_8));
                compare("3CX Call Control, 1% changed", floor, ingest);
            }
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    // ---- shared ----------------------------------------------------------------------------------

    /** A PBX of n extensions numbered from 100000. */
    static SimulatedPbx pbx(int n) {
        SimulatedPbx pbx = new SimulatedPbx();
        for (int i = 0; i < n; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(100_000 + i), "User " + i));
        }
        return pbx;
    }

    /** 1% of the extensions take a call. */
    private static void change(SimulatedPbx pbx, int n) {
        for (int i = 0; i < n; i += 100) {
            pbx.update(Integer.toString(100_000 + i),
                    e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123")));
        }
    }

    /** Warms both up, then alternates them RUNS times and prints the medians and their ratio. */
    private static void compare(String what, Runnable floor, Runnable ingest) {
        for (int i = 0; i < WARMUP; i++) {
            floor.run();
            ingest.run();
        }
        double[] f = new double[RUNS];
        double[] g = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            f[i] = time(floor);
            g[i] = time(ingest);
        }
        double[] fc = new double[RUNS];
        double[] gc = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            fc[i] = cpu(floor);
            gc[i] = cpu(ingest);
        }
        double mf = median(f);
        double mg = median(g);
        System.out.printf("%s%n  wall: floor %8.1f ms   ingest %8.1f ms   ratio %.2fx%n", what, mf, mg, mg / mf);
        System.out.printf("    floor runs %s%n    ingest runs %s%n", Arrays.toString(round(f)), Arrays.toString(round(g)));
        System.out.printf("  CPU of the polling thread: floor %8.1f ms   ingest %8.1f ms   ratio %.2fx%s%n", median(fc), median(gc),
                median(gc) / median(fc), what.contains("in memory") ? "" : "  (HTTP client and server threads not counted)");
    }

    /** A plain JDK GET (the floor's fetch); fails on anything but 200. */
    static byte[] get(URI uri, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + ": HTTP " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode readTree(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long[] round(double[] t) {
        return Arrays.stream(t).mapToLong(Math::round).toArray();
    }

    /** CPU time of this thread: what other processes on a loaded machine take away shows in wall time only. */
    private static double cpu(Runnable r) {
        long start = THREADS.getCurrentThreadCpuTime();
        r.run();
        return (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e6;
    }
}
