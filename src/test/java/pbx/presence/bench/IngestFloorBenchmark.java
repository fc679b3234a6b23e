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

import java.io.IOException;
import java.io.UncheckedIOException;
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
 *       {@link ThreeCxCallControlTranslator#translate}. The same bytes parsed and translated in memory
 *       are timed too, without the server's cost of writing 200 MB per request.</li>
 * </ul>
 * Each is timed with nothing changed and again after 1% of the extensions took a call; floor and
 * ingest runs alternate so that load from other processes hits both alike. Change detection is not
 * included.
 */
public final class IngestFloorBenchmark {

    private static final int WARMUP = 3;
    private static final int RUNS = 7;
    private static final int PAGE = 5000;
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
                VoipNowPayload payload = fetcher.fetch();
                long bytes = 0;
                for (URI page : pages) {
                    bytes += get(page, token).length;
                }
                System.out.printf("%nVoipNow: %d pages of %,d, %,.1f MB in all%n", pages.size(), PAGE, bytes / 1e6);
                double t = medianOf(() -> translator.translate(payload, Instant.now()));
                compare("VoipNow, nothing changed", floor, ingest);
                System.out.printf("  translate alone (pages already parsed)     %8.1f ms%n", t);
                change(pbx, n);
                compare("VoipNow, 1% changed", floor, ingest);
            }
        }
    }

    private static String token(VoipNowSimulator sim) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(sim.baseUrl() + VoipNowSimulator.TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=bench&client_secret=bench-secret"))
                .build();
        return Json.MAPPER.readTree(CLIENT.send(r, HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
    }

    // ---- 3CX Call Control ------------------------------------------------------------------------

    private static void threeCx(int n) throws Exception {
        SimulatedPbx pbx = pbx(n);
        try (ThreeCxCallControlSimulator sim = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0)) {
            sim.start();
            URI url = URI.create(sim.extensionsUrl());
            ThreeCxCallControlTranslator translator = new ThreeCxCallControlTranslator("bench", ThreeCxProfileMapping.defaults(), false);
            try (UrlFetcher fetcher = UrlFetcher.of(sim.extensionsUrl(), "120000", Long.toString(1L << 30), "false")) {
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
                compare("3CX Call Control, in memory (no HTTP)", () -> readTree(body), () -> translator.translate(body, Instant.now()));
                change(pbx, n);
                compare("3CX Call Control, 1% changed", floor, ingest);
            }
        }
    }

    // ---- shared ----------------------------------------------------------------------------------

    private static SimulatedPbx pbx(int n) {
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
        double mf = median(f);
        double mg = median(g);
        System.out.printf("%s%n  floor (HTTP + readTree)  %8.1f ms   ingest (fetch + translate)  %8.1f ms   ratio %.2fx%n",
                what, mf, mg, mg / mf);
        System.out.printf("    floor runs %s%n    ingest runs %s%n", Arrays.toString(round(f)), Arrays.toString(round(g)));
    }

    private static byte[] get(URI uri, String token) {
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

    private static JsonNode readTree(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double medianOf(Runnable work) {
        for (int i = 0; i < WARMUP; i++) {
            work.run();
        }
        double[] t = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            t[i] = time(work);
        }
        return median(t);
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long[] round(double[] t) {
        return Arrays.stream(t).mapToLong(Math::round).toArray();
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e6;
    }
}
