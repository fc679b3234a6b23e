package pbx.presence.bench;

import pbx.presence.change.ChangeDetector;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.connector.threecx.ThreeCxCallControlTranslator;
import pbx.presence.connector.threecx.ThreeCxProfileMapping;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measures one poll's cost at scale, against the raw JSON parse rate of the same bytes (DESIGN.md
 * "Performance"): translate a 3CX Call Control payload of N extensions, detect changes against
 * the embedded event store (baseline, a poll with 1% changed, a poll with none: time and bytes
 * written), and the heap held per tracked extension. Not a test:
 * run it with {@code mvn -q -Dbuild.dir=/tmp/bench test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=pbx.presence.bench.IngestBenchmark -Dexec.args="100000"}; results are written
 * down in docs/benchmarks.md.
 */
public final class IngestBenchmark {

    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        SimulatedPbx pbx = new SimulatedPbx();
        for (int i = 0; i < n; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(100_000 + i), "User " + i));
        }
        ThreeCxCallControlSimulator sim = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0);
        byte[] payload = sim.extensionsJson().getBytes(StandardCharsets.UTF_8);
        // 1% of the extensions change between the two polls
        for (int i = 0; i < n; i += 100) {
            String ext = Integer.toString(100_000 + i);
            pbx.update(ext, e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123")));
        }
        byte[] changed = sim.extensionsJson().getBytes(StandardCharsets.UTF_8);
        ThreeCxCallControlTranslator translator = new ThreeCxCallControlTranslator("bench", ThreeCxProfileMapping.defaults(), false);
        Instant now = Instant.now();

        System.out.printf("extensions: %,d   payload: %,.1f MB   JVM: %s, %d cores%n", n, payload.length / 1e6,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        for (int warm = 0; warm < 3; warm++) {
            Json.MAPPER.readTree(payload);
            translator.translate(payload, now);
        }
        double parse = median(() -> {
            try {
                return Json.MAPPER.readTree(payload);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        double translate = median(() -> translator.translate(payload, now));
        System.out.printf("raw JSON parse (Jackson readTree)      %8.1f ms%n", parse);
        System.out.printf("translate to ExtensionPresence         %8.1f ms  (%.2fx the raw parse)%n", translate, translate / parse);

        List<ExtensionPresence> first = translator.translate(payload, now);
        List<ExtensionPresence> second = translator.translate(changed, now);
        double[] baseline = new double[RUNS];
        double[] onePercent = new double[RUNS];
        double[] none = new double[RUNS];
        long[] onePercentBytes = new long[RUNS];
        long[] noneBytes = new long[RUNS];
        long heapPerExtension = 0;
        for (int r = 0; r < RUNS; r++) {
            Path dir = Files.createTempDirectory("bench");
            JdbcEventStore store = Stores.embedded(dir.resolve("presence.db"));
            ChangeDetector detector = new ChangeDetector(store, 3, false);
            baseline[r] = time(() -> detector.onSnapshot("bench", first, now));
            if (r == 0) {
                // the records the detector keeps, translated afresh so nothing else holds them
                Path heapDir = Files.createTempDirectory("bench-heap");
                long before = usedHeap();
                ChangeDetector held = new ChangeDetector(Stores.embedded(heapDir.resolve("presence.db")), 3, false);
                held.onSnapshot("bench", translator.translate(payload, now), now);
                heapPerExtension = (usedHeap() - before) / n;
                System.out.printf("  (kept %,d extensions)%n", held.snapshotOf("bench").size());
            }
            long written = writtenBytes();
            onePercent[r] = time(() -> detector.onSnapshot("bench", second, now));
            onePercentBytes[r] = writtenBytes() - written;
            written = writtenBytes();
            none[r] = time(() -> detector.onSnapshot("bench", second, now));
            noneBytes[r] = writtenBytes() - written;
            System.out.printf("  run %d: store %,.1f MB, 1%% poll wrote %,d bytes, unchanged poll wrote %,d bytes%n", r + 1,
                    (Files.size(dir.resolve("presence.db")) + walSize(dir)) / 1e6, onePercentBytes[r], noneBytes[r]);
            store.close();
        }
        System.out.printf("detect, first poll (silent baseline)   %8.1f ms%n", median(baseline));
        System.out.printf("detect, 1%% changed (%,d events)        %8.1f ms  (one transaction: changed rows + events, fsync)%n",
                n / 100, median(onePercent));
        System.out.printf("  bytes written by that poll           %,8d (median; write() calls of the process, WAL and checkpoints)%n",
                (long) median(java.util.Arrays.stream(onePercentBytes).asDoubleStream().toArray()));
        System.out.printf("detect, nothing changed                %8.1f ms%n", median(none));
        System.out.printf("  bytes written by that poll           %,8d%n",
                (long) median(java.util.Arrays.stream(noneBytes).asDoubleStream().toArray()));
        System.out.printf("heap per tracked extension             %,8d bytes%n", heapPerExtension);
    }

    /** Bytes this process has passed to write() so far (Linux /proc/self/io "wchar"); -1 elsewhere. */
    private static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("wchar:")) {
                    return Long.parseLong(line.substring(6).strip());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static long walSize(Path dir) throws java.io.IOException {
        Path wal = dir.resolve("presence.db-wal");
        return Files.exists(wal) ? Files.size(wal) : 0;
    }

    private static double median(Supplier<?> work) {
        double[] t = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            t[i] = time(work::get);
        }
        return median(t);
    }

    private static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
