package pbx.presence.bench;

import pbx.presence.change.ChangeDetector;
import pbx.presence.connector.http.VendorHttp;
import pbx.presence.connector.voipnow.VoipNowFetcher;
import pbx.presence.connector.voipnow.VoipNowPaging;
import pbx.presence.connector.voipnow.VoipNowTranslator;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.VoipNowSimulator;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 13 item 2: the live heap the change detector keeps per tracked extension, and what its detect
 * step costs. Not a test; results go to docs/benchmarks.md. Run with a fixed heap in a JVM of its own:
 * <pre>
 * mvn -q -Dbuild.dir=/tmp/bench test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/bench/cp.txt
 * java -Xmx6g -cp /tmp/bench/test-classes:/tmp/bench/classes:$(cat /tmp/bench/cp.txt) \
 *     pbx.presence.bench.DetectorHeapBenchmark 100000
 * </pre>
 * A second argument sets the number of timed rounds (default 5); 0 measures the heap after the baseline only.
 * The demo {@link VoipNowSimulator} serves N extensions in pages of 5,000 on loopback; the real
 * {@link VoipNowFetcher} and {@link VoipNowTranslator} turn them into records, and the real
 * {@link ChangeDetector} runs on the real embedded SQLite store: a silent baseline, then polls with
 * nothing changed and polls where 1 % of the extensions took or ended a call (the detect step alone is
 * timed, in wall time and in CPU time of the polling thread, which outside load disturbs less:
 * translation is not timed). Heap per extension: used heap after full GCs with the detector alive, less
 * the used heap after the detector was dropped (the store, the simulator and everything else stay alive
 * in both), divided by N.
 */
public final class DetectorHeapBenchmark {

    private static final int PAGE = 5000;
    private static final String SOURCE = "bench";
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("extensions: %,d   JVM: %s, %d cores, max heap %,d MB%n", n, Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        SimulatedPbx pbx = new SimulatedPbx();
        for (int i = 0; i < n; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(100_000 + i), "User " + i));
        }
        Path dir = Files.createTempDirectory("detector-heap");
        try (VoipNowSimulator sim = new VoipNowSimulator(pbx, "127.0.0.1", 0, "bench", "bench-secret")) {
            sim.setMaxStartIndex(n);
            sim.start();
            VoipNowPaging paging = VoipNowPaging.defaults().withPageSize(PAGE).withMaxStartIndex(n).withPartitionByPrefix(false);
            VendorHttp.Settings settings = new VendorHttp.Settings(Duration.ofSeconds(120), Duration.ofSeconds(120),
                    512L * 1024 * 1024, Duration.ofSeconds(5), true);
            VoipNowTranslator translator = new VoipNowTranslator(SOURCE);
            JdbcEventStore store = Stores.embedded(dir.resolve("presence.db"));
            try (VoipNowFetcher fetcher = new VoipNowFetcher(sim.baseUrl(), "bench", "bench-secret", paging, settings,
                    Clock.systemUTC())) {
                ChangeDetector[] held = {new ChangeDetector(store, 3, false)};
                poll(held, pbx, n, runs, fetcher, translator);
                long with = usedHeap();
                int down = held[0].sourcesDown().size();
                held[0] = null; // the detector is unreachable from here on: what the heap loses is what it held
                long without = usedHeap();
                System.out.printf("used heap with the detector %,d MB, without %,d MB (sources down: %d)%n", with >> 20,
                        without >> 20, down);
                System.out.printf("heap per tracked extension             %,9d bytes%n", (with - without) / n);
            }
            store.close();
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /** Baseline, then polls with nothing changed and with 1 % changed, timing the detect step; no snapshot outlives it. */
    private static void poll(ChangeDetector[] held, SimulatedPbx pbx, int n, int runs, VoipNowFetcher fetcher,
                             VoipNowTranslator translator) {
        ChangeDetector detector = held[0];
        List<ExtensionPresence> snapshot = translator.translate(fetcher.fetch(), Instant.now());
        check(snapshot, n);
        double baseline = time(() -> detector.onSnapshot(SOURCE, snapshot, Instant.now()));
        System.out.printf("detect, first poll (silent baseline)   %9.1f ms%n", baseline);
        if (runs == 0) {
            return; // the heap alone
        }
        double[] none = new double[runs];
        double[] onePercent = new double[runs];
        double[] noneCpu = new double[runs];
        double[] onePercentCpu = new double[runs];
        int[] events = new int[runs];
        for (int w = 0; w < 2; w++) { // warm-up: both kinds of poll
            detector.onSnapshot(SOURCE, translator.translate(fetcher.fetch(), Instant.now()), Instant.now());
            changeOnePercent(pbx, n, w % 2 == 0);
            detector.onSnapshot(SOURCE, translator.translate(fetcher.fetch(), Instant.now()), Instant.now());
        }
        for (int r = 0; r < runs; r++) {
            List<ExtensionPresence> same = translator.translate(fetcher.fetch(), Instant.now());
            long cpu = THREADS.getCurrentThreadCpuTime();
            none[r] = time(() -> {
                if (!detector.onSnapshot(SOURCE, same, Instant.now()).isEmpty()) {
                    throw new IllegalStateException("a poll with nothing changed produced events");
                }
            });
            noneCpu[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
            changeOnePercent(pbx, n, r % 2 == 0);
            List<ExtensionPresence> changed = translator.translate(fetcher.fetch(), Instant.now());
            int[] count = new int[1];
            cpu = THREADS.getCurrentThreadCpuTime();
            onePercent[r] = time(() -> count[0] = detector.onSnapshot(SOURCE, changed, Instant.now()).size());
            onePercentCpu[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
            events[r] = count[0];
        }
        System.out.printf("detect, nothing changed                %9.1f ms  (median of %d: %s)%n", median(none), runs,
                Arrays.toString(round(none)));
        System.out.printf("detect, 1%% changed (%,d events)     %9.1f ms  (median of %d: %s)%n", events[0],
                median(onePercent), runs, Arrays.toString(round(onePercent)));
        System.out.printf("  CPU of the polling thread: nothing changed %.1f ms %s, 1%% changed %.1f ms %s%n", median(noneCpu),
                Arrays.toString(round(noneCpu)), median(onePercentCpu), Arrays.toString(round(onePercentCpu)));
    }

    /** 1% of the extensions take a call ({@code on}) or end it. */
    private static void changeOnePercent(SimulatedPbx pbx, int n, boolean on) {
        for (int i = 0; i < n; i += 100) {
            pbx.update(Integer.toString(100_000 + i), on
                    ? e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123"))
                    : SimulatedExtension::withNoCalls);
        }
    }

    private static void check(List<ExtensionPresence> snapshot, int n) {
        if (snapshot.size() != n) {
            throw new IllegalStateException("translated " + snapshot.size() + " of " + n);
        }
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double[] round(double[] t) {
        return Arrays.stream(t).map(Math::rint).toArray();
    }

    private static long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
