package pbx.presence.bench;

import pbx.presence.PackagedRouter;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.VoipNowSimulator;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import static org.awaitility.Awaitility.await;

/**
 * Issue 13, "What it must show": the packaged router, as an OS process, against a simulated VoipNow
 * account of N extensions on loopback, measured from outside; the floor (plain JDK GET of the same
 * pages + Jackson {@code readTree}) is measured in the same run, interleaved with the router's polls.
 * Not a test; results go to docs/benchmarks.md. Run it with {@code bench/end-to-end.sh MODE [key=value …]}
 * (builds the jar once, runs this main on the test classpath). Modes:
 *
 * <ul>
 *   <li>{@code ingest} (default N 100,000, period 8,000 ms): a tiny router's live heap first (the
 *       baseline), then the router at N; after each of its polls the floor runs once, between polls.
 *       Polls with nothing changed, then polls after 1% of the extensions changed. Prints poll time
 *       (and its fetch + translate part) against the floor, bytes written per poll
 *       ({@code /proc/<pid>/io}), and heap per extension (live heap after a full GC via {@code jcmd},
 *       less the tiny router's, divided by N).</li>
 *   <li>{@code latency} (N 10,000, period 1,000 ms, churn 1 %/s, 60 s after 10 s warm-up): changes at
 *       random moments; a signed webhook sink posts to a receiver in this process, which maps each
 *       event to its change by extension + line state. Prints p50/p99/max of change → webhook
 *       arrival, split at the event's {@code time} into change → detected and detected → arrived,
 *       against the bound period + 50 ms.</li>
 *   <li>{@code keepup} (N 1,000,000, churn 1 %/s, period 5,000 ms, 600 s): every {@code sample}
 *       seconds a row: polls, poll start-to-start gap and poll duration, RSS, live heap (every
 *       {@code gcEvery} s), bytes written per poll, each sink's lag in the event log (head − position),
 *       and INFO lines logged.</li>
 * </ul>
 * Keys: {@code n}, {@code period} (ms), {@code churn} (% of N per second), {@code duration} and
 * {@code warmup} (s), {@code rounds} (ingest polls per phase), {@code heap} (router -Xmx),
 * {@code baseline} (true/false: measure the tiny router's heap), {@code baseHeapMb} (reuse one),
 * {@code webhook} (keepup: also a webhook sink), {@code sample}, {@code gcEvery} (s), {@code work} (folder);
 * {@code set.<property>=<value>} passes a router property, e.g. {@code set.presence.webhook.lanes=4}.
 */
public final class EndToEndBenchmark {

    private static final int PAGE = 5000;

    private final Map<String, String> args;
    private final Path work;

    private EndToEndBenchmark(Map<String, String> args) throws IOException {
        this.args = args;
        this.work = args.containsKey("work") ? Files.createDirectories(Path.of(args.get("work")))
                : Files.createTempDirectory("pbx-e2e-");
    }

    public static void main(String[] argv) throws Exception {
        if (!PackagedRouter.available()) {
            throw new IllegalStateException("set -Drouter.jar to the packaged jar (bench/end-to-end.sh does): "
                    + PackagedRouter.jar());
        }
        Map<String, String> args = new LinkedHashMap<>();
        String mode = argv.length > 0 && !argv[0].contains("=") ? argv[0] : "ingest";
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                args.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        EndToEndBenchmark bench = new EndToEndBenchmark(args);
        System.out.printf("end-to-end %s %s%nrouter jar %s, work folder %s%nmachine: %d cores, load %s, JVM %s%n", mode, args,
                PackagedRouter.jar(), bench.work, Runtime.getRuntime().availableProcessors(), load(), Runtime.version());
        switch (mode) {
            case "ingest" -> bench.ingest();
            case "latency" -> bench.latency();
            case "keepup" -> bench.keepup();
            default -> throw new IllegalArgumentException("mode is ingest, latency or keepup, was " + mode);
        }
        System.out.printf("machine load at the end: %s%n", load());
        System.exit(0);
    }

    // ---- ingest ----------------------------------------------------------------------------------

    private void ingest() throws Exception {
        int n = integer("n", 100_000);
        long period = integer("period", 8000);
        int rounds = integer("rounds", 5);
        int warmup = integer("warmup", 2);
        String heap = routerHeap(n);
        long baseHeap = baseHeap(heap);
        SimulatedPbx pbx = IngestFloorBenchmark.pbx(n);
        // two simulators of the one PBX: the router polls one, the floor reads the other, so the
        // router's request counter shows exactly its own polls (their start, and any overlap)
        try (VoipNowSimulator sim = simulator(pbx, n); VoipNowSimulator floorSim = simulator(pbx, n);
             PollStarts starts = new PollStarts(sim, (n + PAGE - 1) / PAGE).start()) {
            List<URI> pages = pages(floorSim, n);
            String token = IngestFloorBenchmark.token(floorSim);
            Runnable floor = () -> pages.forEach(p -> IngestFloorBenchmark.readTree(IngestFloorBenchmark.get(p, token)));
            try (RouterUnderTest router = RouterUnderTest.start(work, "router-" + n, sim.baseUrl(), n, period, heap, routerSettings(Map.of()))) {
                router.awaitBaseline(n, Duration.ofMinutes(5));
                System.out.printf("%nrouter pid %d, %,d extensions in %d pages, period %d ms, -Xmx%s; floor after each poll%n",
                        router.pid(), n, pages.size(), period, heap);
                Poller poller = new Poller(router, sim, starts, pages.size(), floor);
                List<Round> unchanged = poller.rounds(warmup, rounds, null, 0);
                List<String> numbers = numbers(n);
                int[] offset = {0};
                int count = n / 100;
                // 1 % of N, spread evenly over every page but the first and the last (see PollStarts.afterFetch),
                // a different set each round; over the whole range when there are fewer than three pages
                int from = pages.size() > 2 ? PAGE : 0;
                int step = Math.max(1, (n - 2 * from) / Math.max(1, count));
                List<Round> changed = poller.rounds(warmup, rounds, () -> {
                    int off = offset[0]++ % step;
                    for (int j = 0; j < count; j++) {
                        toggle(pbx, numbers.get(from + off + j * step));
                    }
                }, count);
                long live = quietLiveHeap(router, sim);
                System.out.printf("%n%-30s %8s %9s %8s %8s %7s %7s %7s %11s %11s %8s %s%n", "medians", "poll ms", "fetch+tr", "detect",
                        "floor ms", "poll/fl", "f+t/fl", "events", "write_bytes", "wchar", "CPU ms", "polls/floors");
                summary("nothing changed", unchanged);
                summary("1% changed before each poll", changed);
                System.out.printf("live heap after full GC: %,.1f MB; tiny router %,.1f MB; per extension %,.0f B%n", live / 1e6,
                        baseHeap / 1e6, (live - baseHeap) / (double) n);
                System.out.printf("INFO lines logged: %,d (per-event %,d)%n", router.infoLines(), router.eventLines());
            }
        }
    }

    /**
     * The live heap right after a poll ended, taken only while no next poll fetched (so no poll's
     * pages or records are in flight): up to five tries, the smallest quiet one (or the smallest of
     * all, said so, when the router polls back to back).
     */
    private static long quietLiveHeap(RouterUnderTest router, VoipNowSimulator sim) throws Exception {
        long quiet = Long.MAX_VALUE;
        long any = Long.MAX_VALUE;
        for (int i = 0; i < 5 && quiet == Long.MAX_VALUE; i++) {
            long seen = RouterUnderTest.polls(router.metrics()).count();
            await("a poll to end").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> RouterUnderTest.polls(router.metrics()).count() > seen);
            long requests = sim.presenceRequests();
            long live = router.liveHeapAfterFullGc();
            any = Math.min(any, live);
            if (sim.presenceRequests() == requests) {
                quiet = live;
            }
        }
        if (quiet == Long.MAX_VALUE) {
            System.out.println("(every heap sample ran while the next poll was fetching: the smallest is given)");
            return any;
        }
        return quiet;
    }

    /** One router poll (fetch + translate, then detect + commit) and the floor right after it. */
    private record Round(boolean aligned, double fetchTranslateMillis, double pipelineMillis, double ownMillis, double floorMillis, long events,
                         long writeBytes, long wchar, long routerCpuMillis, boolean overlapped) {
        /**
         * The whole poll: the router's own histogram when it has one, else the first page request to
         * the snapshot reaching change detection plus detect + commit.
         */
        double pollMillis() {
            return Double.isNaN(ownMillis) ? fetchTranslateMillis + pipelineMillis : ownMillis;
        }
    }

    /** Watches the router's polls and runs the floor between them. */
    private record Poller(RouterUnderTest router, VoipNowSimulator sim, PollStarts starts, int pageCount, Runnable floor) {

        /**
         * {@code warmup + rounds} polls: {@code change} before each (right after the previous one
         * ended), the floor after each. A floor run during which the router fetched pages is marked
         * overlapped (counted only when no floor ran alone); a poll that did not see exactly {@code expectedEvents}
         * is not counted
         * (a change that landed while it was fetching: the router polls back to back when a poll
         * takes longer than the period).
         */
        List<Round> rounds(int warmup, int rounds, Runnable change, long expectedEvents) {
            List<Round> out = new ArrayList<>();
            Map<String, Double> m = router.metrics();
            RouterUnderTest.PollTotals polls = RouterUnderTest.polls(m);
            RouterUnderTest.PollTotals pipeline = RouterUnderTest.pipeline(m);
            RouterUnderTest.PollTotals own = RouterUnderTest.ownPolls(m);
            long head = router.logPositions().getOrDefault("head", 0L);
            long wb = router.io("write_bytes");
            long wc = router.io("wchar");
            long cpu = router.cpuMillis();
            for (int i = 0; i < warmup + rounds; i++) {
                long target;
                if (change != null) {
                    // the first poll to start after the change is the one to measure (polls and starts count alike,
                    // the baseline poll included); counted on the watcher's thread, where starts are counted
                    long[] next = {-1};
                    starts.afterFetch(() -> {
                        change.run();
                        next[0] = starts.count() + 1;
                    });
                    await("change applied").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> next[0] > 0);
                    target = next[0];
                } else {
                    target = polls.count() + 1;
                }
                @SuppressWarnings("unchecked")
                Map<String, Double>[] last = new Map[1];
                await("poll " + target).atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> RouterUnderTest.polls(last[0] = router.metrics()).count() >= target);
                Instant detected = router.lastGoodPoll();
                Instant start = detected == null ? null : starts.startBefore(detected);
                RouterUnderTest.PollTotals p = RouterUnderTest.polls(last[0]);
                RouterUnderTest.PollTotals pl = RouterUnderTest.pipeline(last[0]);
                RouterUnderTest.PollTotals o = RouterUnderTest.ownPolls(last[0]);
                long h = router.logPositions().getOrDefault("head", head);
                long wb2 = router.io("write_bytes");
                long wc2 = router.io("wchar");
                long cpu2 = router.cpuMillis();
                long before = sim.presenceRequests();
                double floorMillis = time(floor);
                boolean overlapped = sim.presenceRequests() != before;
                long inDelta = Math.max(1, p.count() - polls.count());
                // the poll saw exactly what was changed before it (none, or the whole 1 %), not a change half-way
                boolean aligned = h - head == expectedEvents;
                double fetchTranslate = start == null ? Double.NaN
                        : Duration.between(start, detected).toNanos() / 1e6;
                Round r = new Round(aligned, fetchTranslate, pl.minus(pipeline).meanMillis(), o.count() > 0 ? o.minus(own).meanMillis() : Double.NaN,
                        floorMillis, h - head, (wb2 - wb) / inDelta, (wc2 - wc) / inDelta, (cpu2 - cpu) / inDelta, overlapped);
                System.out.printf("  %s poll %d: %,6.0f ms = fetch+translate %,6.0f + detect+commit %,6.0f; floor %,6.0f ms%s; %,d events%s,"
                                + " wrote %,d B (wchar %,d); router CPU %,d ms%n", i < warmup ? "warm-up" : "measure", i + 1, r.pollMillis(),
                        r.fetchTranslateMillis(), r.pipelineMillis(), r.floorMillis(), overlapped ? " (overlapped a poll)" : "",
                        r.events(), aligned ? "" : " (expected " + expectedEvents + ": poll not counted)", r.writeBytes(), r.wchar(),
                        r.routerCpuMillis());
                if (inDelta > 1) {
                    System.out.printf("    (%d polls ended since the last one measured: bytes and CPU are per poll, events all of them)%n", inDelta);
                }
                if (i >= warmup) {
                    out.add(r);
                }
                polls = p;
                pipeline = pl;
                own = o;
                head = h;
                wb = wb2;
                wc = wc2;
                cpu = cpu2;
            }
            return out;
        }
    }

    /** Medians: polls that saw exactly the expected change; floors that ran alone (all floors if none did). */
    private static void summary(String what, List<Round> measured) {
        List<Round> rounds = measured.stream().filter(Round::aligned).toList();
        List<Round> alone = measured.stream().filter(r -> !r.overlapped()).toList();
        if (rounds.isEmpty()) {
            System.out.printf("%-30s no poll saw exactly the expected change%n", what);
            return;
        }
        double poll = median(rounds, Round::pollMillis);
        double ingest = median(rounds, Round::fetchTranslateMillis);
        double floor = median(alone.isEmpty() ? measured : alone, Round::floorMillis);
        System.out.printf("%-30s %8.0f %9.0f %8.0f %8.0f %6.2fx %6.2fx %7.0f %11.0f %11.0f %8.0f %d/%d%s%n", what, poll, ingest,
                median(rounds, Round::pipelineMillis), floor, poll / floor, ingest / floor, median(rounds, r -> r.events()),
                median(rounds, r -> r.writeBytes()), median(rounds, r -> r.wchar()), median(rounds, r -> r.routerCpuMillis()),
                rounds.size(), alone.size(), alone.isEmpty() ? " (every floor overlapped a poll)" : "");
    }

    // ---- latency ---------------------------------------------------------------------------------

    private void latency() throws Exception {
        int n = integer("n", 10_000);
        long period = integer("period", 1000);
        double churnPercent = decimal("churn", 1);
        int duration = integer("duration", 60);
        int warmup = integer("warmup", 10);
        String heap = text("heap", "1g");
        SimulatedPbx pbx = IngestFloorBenchmark.pbx(n);
        try (VoipNowSimulator sim = simulator(pbx, n);
             Churn churn = new Churn(pbx, numbers(n), n * churnPercent / 100, 3 * period, true, seed());
             LatencyReceiver receiver = new LatencyReceiver(churn);
             RouterUnderTest router = RouterUnderTest.start(work, "router-latency-" + n, sim.baseUrl(), n, period, heap, routerSettings(Map.of(
                     "presence.webhook.url", receiver.url(), "presence.webhook.secret", receiver.secret())))) {
            router.awaitBaseline(n, Duration.ofMinutes(3));
            System.out.printf("%nrouter pid %d, %,d extensions, period %d ms, churn %.2f %%/s (%.0f changes/s), warm-up %d s, measure %d s%n",
                    router.pid(), n, period, churnPercent, n * churnPercent / 100, warmup, duration);
            churn.start();
            hold(warmup);
            Instant from = Instant.now();
            long t0 = System.nanoTime();
            for (int t = 10; t < duration + 10; t += 10) {
                holdUntil(t0, Math.min(t, duration));
                Map<String, Long> pos = router.logPositions();
                long head = pos.getOrDefault("head", 0L);
                StringBuilder lag = new StringBuilder();
                pos.forEach((k, v) -> {
                    if (!k.equals("head")) {
                        lag.append(' ').append(k).append(' ').append(head - v);
                    }
                });
                System.out.printf("  t %3d s: changes %,d, webhook requests %,d, events behind the log head:%s%n", Math.min(t, duration),
                        churn.made(), receiver.requests(), lag);
            }
            Instant to = Instant.now();
            churn.close();
            List<Churn.Change> measured = churn.all().stream().filter(c -> !c.at().isBefore(from) && c.at().isBefore(to)).toList();
            try {
                await("every measured change delivered").atMost(Duration.ofSeconds(Math.max(15, 5 * period / 1000)))
                        .pollInterval(Duration.ofMillis(200)).until(() -> measured.stream().allMatch(receiver::delivered));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.out.println("  (not every change arrived within the wait; missing ones are counted below)");
            }
            List<LatencyReceiver.Delivery> d = receiver.deliveries().stream()
                    .filter(x -> !x.change().at().isBefore(from) && x.change().at().isBefore(to)).toList();
            double[] total = d.stream().mapToDouble(LatencyReceiver.Delivery::totalMillis).sorted().toArray();
            double[] detect = d.stream().mapToDouble(LatencyReceiver.Delivery::detectMillis).sorted().toArray();
            double[] deliver = d.stream().mapToDouble(LatencyReceiver.Delivery::deliverMillis).sorted().toArray();
            Map<String, Double> m = router.metrics();
            System.out.printf("%nchanges measured %,d, delivered %,d, missing %,d; webhook requests %,d, bad signatures %d, unmatched events %d%n",
                    measured.size(), d.size(), measured.size() - d.size(), receiver.requests(), receiver.badSignatures(), receiver.unmatched());
            System.out.printf("router polls: %d, mean %,.0f ms (detect+commit %,.0f ms)%n", RouterUnderTest.polls(m).count(),
                    RouterUnderTest.polls(m).meanMillis(), RouterUnderTest.pipeline(m).meanMillis());
            System.out.printf("%-40s %8s %8s %8s %8s%n", "ms", "p50", "p90", "p99", "max");
            row("PBX change -> webhook request arrives", total);
            row("  PBX change -> detected (event time)", detect);
            row("  detected -> webhook request arrives", deliver);
            double p99 = percentile(total, 99);
            System.out.printf("bound: p99 <= period + 50 ms = %d ms: %s (p99 %,.0f ms)%n", period + 50, p99 <= period + 50 ? "MET" : "NOT MET", p99);
            System.out.printf("INFO lines logged: %,d%n", router.infoLines());
            routeTimes(m);
        }
    }

    /** Per route: exchanges and mean time per exchange (Camel's route timer), busiest first. */
    private static void routeTimes(Map<String, Double> m) {
        Map<String, double[]> byRoute = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith("camel_route_policy_seconds_") && k.contains("eventType=\"route\"")) {
                String route = k.replaceAll(".*routeId=\"([^\"]*)\".*", "$1");
                double[] a = byRoute.computeIfAbsent(route, r -> new double[2]);
                if (k.startsWith("camel_route_policy_seconds_count")) {
                    a[0] = v;
                } else if (k.startsWith("camel_route_policy_seconds_sum")) {
                    a[1] = v;
                }
            }
        });
        System.out.println("route timers (Camel): route, exchanges, total s, mean ms");
        byRoute.entrySet().stream().filter(e -> e.getValue()[0] > 0).sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> System.out.printf("  %-28s %8.0f %8.1f %8.2f%n", e.getKey(), e.getValue()[0], e.getValue()[1],
                        e.getValue()[1] * 1000 / e.getValue()[0]));
    }

    private static void row(String what, double[] sorted) {
        System.out.printf("%-40s %8.0f %8.0f %8.0f %8.0f%n", what, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    // ---- keepup ----------------------------------------------------------------------------------

    private void keepup() throws Exception {
        int n = integer("n", 1_000_000);
        long period = integer("period", 5000);
        double churnPercent = decimal("churn", 1);
        int duration = integer("duration", 600);
        int sample = integer("sample", 10);
        int gcEvery = integer("gcEvery", 60);
        String heap = routerHeap(n);
        long baseHeap = baseHeap(heap);
        SimulatedPbx pbx = IngestFloorBenchmark.pbx(n);
        try (VoipNowSimulator sim = simulator(pbx, n);
             Churn churn = new Churn(pbx, numbers(n), n * churnPercent / 100, 0, false, seed());
             LatencyReceiver receiver = new LatencyReceiver(churn)) {
            List<URI> pages = pages(sim, n);
            String token = IngestFloorBenchmark.token(sim);
            double[] floors = new double[3];
            for (int i = 0; i < floors.length; i++) {
                floors[i] = time(() -> pages.forEach(p -> IngestFloorBenchmark.readTree(IngestFloorBenchmark.get(p, token))));
            }
            Arrays.sort(floors);
            System.out.printf("floor (GET + readTree of the %d pages, before the router starts): %s ms, median %,.0f ms%n", pages.size(),
                    Arrays.toString(Arrays.stream(floors).mapToLong(Math::round).toArray()), floors[1]);
            Map<String, String> settings = boolean_("webhook", false)
                    ? Map.of("presence.webhook.url", receiver.url(), "presence.webhook.secret", receiver.secret()) : Map.of();
            sim.resetRequestCounts();
            PollStarts starts = new PollStarts(sim, pages.size()).start();
            try (RouterUnderTest router = RouterUnderTest.start(work, "router-keepup-" + n, sim.baseUrl(), n, period, heap, routerSettings(settings))) {
                router.awaitBaseline(n, Duration.ofMinutes(10));
                System.out.printf("router pid %d, %,d extensions in %d pages, period %d ms, churn %.2f %%/s (%,.0f changes/s), -Xmx%s, "
                        + "webhook %s; %d s%n", router.pid(), n, pages.size(), period, churnPercent, n * churnPercent / 100, heap,
                        settings.isEmpty() ? "off" : "on", duration);
                churn.start();
                System.out.printf("%6s %5s %9s %9s %9s %8s %9s %13s %13s %-28s %10s %9s %s%n", "t s", "polls", "gap ms", "fetch+tr", "detect",
                        "RSS MB",
                        "live MB", "write B/poll", "wchar B/poll", "lag (events behind head)", "INFO lines", "deferred", "readiness");
                long t0 = System.nanoTime();
                long lastGc = 0;
                RouterUnderTest.PollTotals prev = RouterUnderTest.polls(router.metrics());
                long wb = router.io("write_bytes");
                long wc = router.io("wchar");
                long info = router.infoLines();
                List<Double> gaps = new ArrayList<>();
                for (int t = sample; t <= duration; t += sample) {
                    holdUntil(t0, t);
                    RouterUnderTest.PollTotals p = RouterUnderTest.polls(router.metrics());
                    RouterUnderTest.PollTotals d = p.minus(prev);
                    Instant detected = router.lastGoodPoll();
                    Instant started = detected == null ? null : starts.startBefore(detected);
                    double fetchTranslate = started == null ? Double.NaN : Duration.between(started, detected).toNanos() / 1e6;
                    String live = "";
                    if (gcEvery > 0 && t - lastGc >= gcEvery) {
                        live = String.format(Locale.ROOT, "%,.0f", router.liveHeapAfterFullGc() / 1e6);
                        lastGc = t;
                    }
                    long wb2 = router.io("write_bytes");
                    long wc2 = router.io("wchar");
                    long info2 = router.infoLines();
                    Map<String, Long> pos = router.logPositions();
                    StringBuilder lag = new StringBuilder();
                    long head = pos.getOrDefault("head", 0L);
                    pos.forEach((k, v) -> {
                        if (!k.equals("head")) {
                            lag.append(k).append(' ').append(head - v).append(' ');
                        }
                    });
                    double gap = starts.lastGapMillis();
                    gaps.add(gap);
                    // changed extensions the last poll left for the next ones (presence.source.max-changes-per-poll)
                    double deferred = RouterUnderTest.named(router.metrics(), "pbx_presence_source_changes_deferred").values().stream()
                            .mapToDouble(Double::doubleValue).sum();
                    System.out.printf(Locale.ROOT, "%6d %5d %9.0f %9.0f %9.0f %8.0f %9s %13s %13s %-28s %10d %9.0f %s%n", t, p.count(), gap,
                            fetchTranslate, d.meanMillis(), router.rss() / 1e6, live, d.count() == 0 ? "-" : String.format("%,d", (wb2 - wb) / d.count()),
                            d.count() == 0 ? "-" : String.format("%,d", (wc2 - wc) / d.count()), lag.toString().strip(), info2 - info, deferred,
                            router.readiness());
                    if (d.count() > 0) {
                        prev = p;
                        wb = wb2;
                        wc = wc2;
                        info = info2;
                    }
                }
                churn.close();
                long live = router.liveHeapAfterFullGc();
                System.out.printf("%npolls started %d; start-to-start gaps (ms) %s%n", starts.count(), starts.gaps());
                System.out.printf("live heap after full GC at the end %,.1f MB; tiny router %,.1f MB; per extension %,.0f B%n", live / 1e6,
                        baseHeap / 1e6, (live - baseHeap) / (double) n);
                System.out.printf("INFO lines logged: %,d (per-event %,d); PBX changes made %,d%n", router.infoLines(), router.eventLines(),
                        churn.made());
                Map<String, Double> own = RouterUnderTest.named(router.metrics(), "pbx_presence_sink");
                if (!own.isEmpty()) {
                    System.out.println("router's own sink metrics: " + own);
                }
            } finally {
                starts.close();
            }
        }
    }

    // ---- shared ----------------------------------------------------------------------------------

    /** The live heap of the same router polling a 10-extension account (its base), unless given or switched off. */
    private long baseHeap(String heap) throws Exception {
        if (args.containsKey("baseHeapMb")) {
            return (long) (Double.parseDouble(args.get("baseHeapMb")) * 1e6);
        }
        if (!boolean_("baseline", true)) {
            return 0;
        }
        int tiny = 10;
        try (VoipNowSimulator sim = simulator(IngestFloorBenchmark.pbx(tiny), tiny);
             RouterUnderTest router = RouterUnderTest.start(work, "router-tiny", sim.baseUrl(), tiny, 500, heap, Map.of())) {
            router.awaitBaseline(tiny, Duration.ofMinutes(2));
            // one change, so the event path (detect, commit, sinks) has run as in the measured router
            toggle(sim.pbx(), numbers(1).get(0));
            await("the tiny router's event delivered").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Map<String, Long> pos = router.logPositions();
                long head = pos.getOrDefault("head", 0L);
                return head > 0 && pos.entrySet().stream().allMatch(e -> e.getValue() == head);
            });
            long live = router.liveHeapAfterFullGc();
            System.out.printf("tiny router (%d extensions): live heap after full GC %,.1f MB%n", tiny, live / 1e6);
            return live;
        }
    }

    private static VoipNowSimulator simulator(SimulatedPbx pbx, int n) {
        VoipNowSimulator sim = new VoipNowSimulator(pbx, "127.0.0.1", 0, "bench", "bench-secret");
        sim.setMaxStartIndex(Math.max(5000, n));
        return sim.start();
    }

    private static List<URI> pages(VoipNowSimulator sim, int n) {
        List<URI> pages = new ArrayList<>();
        for (int start = 0; start < n; start += PAGE) {
            pages.add(URI.create(sim.presenceUrl() + "?count=" + PAGE + "&startIndex=" + start));
        }
        return pages;
    }

    /** The numbers IngestFloorBenchmark.pbx gives the extensions. */
    private static List<String> numbers(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Integer.toString(100_000 + i));
        }
        return out;
    }

    private static void toggle(SimulatedPbx pbx, String number) {
        pbx.update(number, e -> e.calls().isEmpty()
                ? e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123")) : e.withNoCalls());
    }

    /** The fixed warm-up or measuring period of a benchmark: nothing to wait for but the clock. */
    private static void hold(int seconds) throws InterruptedException {
        new CountDownLatch(1).await(seconds, TimeUnit.SECONDS);
    }

    private static void holdUntil(long t0, int seconds) throws InterruptedException {
        long left = t0 + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime();
        if (left > 0) {
            new CountDownLatch(1).await(left, TimeUnit.NANOSECONDS);
        }
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Round> rounds, ToDoubleFunction<Round> f) {
        double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
        return v[v.length / 2];
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The router's -Xmx: key {@code heap}, else 2g up to 200,000 extensions and 8g above. */
    private String routerHeap(int n) {
        return text("heap", n <= 200_000 ? "2g" : "8g");
    }

    /** {@code settings} plus every {@code set.<property>=<value>} argument, for the router under test. */
    private Map<String, String> routerSettings(Map<String, String> settings) {
        Map<String, String> all = new java.util.TreeMap<>(settings);
        args.forEach((k, v) -> {
            if (k.startsWith("set.")) {
                all.put(k.substring(4), v);
            }
        });
        if (all.size() > settings.size()) {
            System.out.println("router settings: " + all.keySet());
        }
        return all;
    }

    private long seed() {
        return Long.parseLong(args.getOrDefault("seed", "13"));
    }

    private int integer(String key, int dflt) {
        return Integer.parseInt(args.getOrDefault(key, Integer.toString(dflt)).replace("_", ""));
    }

    private double decimal(String key, double dflt) {
        return Double.parseDouble(args.getOrDefault(key, Double.toString(dflt)));
    }

    private String text(String key, String dflt) {
        return args.getOrDefault(key, dflt);
    }

    private boolean boolean_(String key, boolean dflt) {
        return Boolean.parseBoolean(args.getOrDefault(key, Boolean.toString(dflt)));
    }
}
