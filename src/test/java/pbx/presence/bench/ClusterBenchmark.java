package pbx.presence.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import pbx.presence.PackagedRouter;
import pbx.presence.RouterTestSupport;
import pbx.presence.cluster.PackagedRouters;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.VoipNowSimulator;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * Issue 12's scale run: R packaged routers (OS processes) in {@code presence.cluster.mode=database} on
 * one embedded PostgreSQL share S simulated VoipNow sources of N extensions each, 0.1 % of which
 * change every second. Prints which router leads which source, each source's baseline (from the
 * moment its leader took it to its first commit of N extensions), the mean time of each source's
 * route per poll after the baseline, and of its detection and commit (Camel's route timers, from
 * the routers' /observe/metrics), and per router its RSS and its live heap after a full GC
 * ({@code jcmd GC.run}, then {@code GC.heap_info}). Not a test: run it after {@code mvn package} with
 * {@code mvn -q -Dbuild.dir=/tmp/bench test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=pbx.presence.bench.ClusterBenchmark -Drouter.jar=/tmp/bench/<jar-with-dependencies>
 * -Dexec.args="<sources> <extensions> <routers> <period ms> <polls> <router -Xmx>"}; results are
 * written down in docs/benchmarks.md.
 */
public final class ClusterBenchmark {

    /**
     * Camel's per-route timers: route {@code source-<id>} (route policy; it starts once the kamelet has
     * fetched and translated the pages) and, within it, detection and commit (the send to direct:presence-poll).
     */
    private static final Pattern TIMER = Pattern.compile("^camel_(route_policy|exchange_event_notifier)_seconds_(count|sum)\\{([^}]*)} ([0-9.E+-]+)",
            Pattern.MULTILINE);

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int sources = arg(args, 0, 10);
        int extensions = arg(args, 1, 10_000);
        int routers = arg(args, 2, 3);
        int period = arg(args, 3, 10_000);
        int polls = arg(args, 4, 3);
        String xmx = args.length > 5 ? args[5] : "1g";
        if (!PackagedRouter.available()) {
            throw new IllegalArgumentException("set -Drouter.jar to the packaged jar-with-dependencies (mvn package), was " + PackagedRouter.jar());
        }
        Path work = Files.createTempDirectory("cluster-bench");
        System.out.printf("%d routers (-Xmx%s), %d sources x %,d extensions = %,d, poll period %d ms, %d cores, load %s%n",
                routers, xmx, sources, extensions, (long) sources * extensions, period, Runtime.getRuntime().availableProcessors(), load());

        List<VoipNowSimulator> pbxs = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        ScheduledExecutorService churn = Executors.newSingleThreadScheduledExecutor();
        // the routers are this run's children: never leave them behind, even when the run is interrupted
        Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroyForcibly)));
        try (EmbeddedPostgres postgres = PackagedRouters.startPostgres()) {
            String jdbc = postgres.getJdbcUrl("postgres", "postgres");
            List<SimulatedPbx> simulated = new ArrayList<>();
            StringBuilder yaml = new StringBuilder();
            for (int s = 0; s < sources; s++) {
                SimulatedPbx pbx = new SimulatedPbx();
                for (int i = 0; i < extensions; i++) {
                    pbx.put(SimulatedExtension.of(Integer.toString(1_000_000 + i), "User " + i));
                }
                simulated.add(pbx);
                VoipNowSimulator sim = new VoipNowSimulator(pbx, "127.0.0.1", 0, "bench", "bench-secret");
                sim.setMaxStartIndex(Integer.MAX_VALUE); // one paged walk (20 pages of 5000 for 100k), no prefix partitions
                sim.start();
                pbxs.add(sim);
                yaml.append(RouterUnderTest.voipNowSource(sourceId(s), sim.baseUrl(), extensions, period, 60_000));
            }
            Random random = new Random(12);
            int changesPerSecond = Math.max(1, extensions / 1000);
            churn.scheduleAtFixedRate(() -> simulated.forEach(pbx -> {
                for (int c = 0; c < changesPerSecond; c++) {
                    pbx.update(Integer.toString(1_000_000 + random.nextInt(extensions)), e -> e.withRegistered(!e.registered()));
                }
            }), 1, 1, TimeUnit.SECONDS);

            int[] ports = new int[routers];
            long t0 = System.nanoTime();
            for (int r = 0; r < routers; r++) {
                ports[r] = RouterTestSupport.freePort();
                Path dir = work.resolve("router-" + r);
                PackagedRouter.prepareFolder(dir, yaml.toString());
                processes.add(PackagedRouter.start(dir, dir.resolve("router.log"), List.of("-Xmx" + xmx,
                        "-Dpresence.demo.enabled=false",
                        "-Dpresence.file.enabled=false",
                        // per source: detect + commit is the source route's send to direct:presence-poll
                        "-Dcamel.metrics.enableExchangeEventNotifier=true",
                        "-Dcamel.management.port=" + ports[r],
                        "-Dpresence.api.port=" + RouterTestSupport.freePort(),
                        "-Dpresence.cluster.mode=database",
                        "-Dpresence.cluster.member-id=router-" + r,
                        "-Dpresence.store.url=" + jdbc,
                        "-Dpresence.store.username=postgres")));
            }

            // each source: when a router took it, and when its baseline was committed
            Map<String, Long> ledAt = new TreeMap<>();
            Map<String, Long> baselineAt = new TreeMap<>();
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try (Connection c = DriverManager.getConnection(jdbc, "postgres", null)) {
                    for (int s = 0; s < sources; s++) {
                        String id = sourceId(s);
                        if (!ledAt.containsKey(id) && PackagedRouters.holder(c, "source-" + id).isPresent()) {
                            ledAt.put(id, System.nanoTime());
                        }
                        if (!baselineAt.containsKey(id) && baselineAt.size() < sources && stored(c, id) >= extensions) {
                            baselineAt.put(id, System.nanoTime());
                        }
                    }
                }
                return baselineAt.size() == sources;
            });
            System.out.printf("all baselines committed %.1f s after the routers started; load %s%n", (System.nanoTime() - t0) / 1e9, load());

            // the polls after the baseline: wait until every source's route timer counted `polls` more
            // measure once leadership has spread (fair share each) and stayed put for a few seconds
            int fairShare = (sources + routers - 1) / routers;
            Map<String, String> spread = new TreeMap<>();
            long[] stableSince = {System.nanoTime()};
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Map<String, String> now = leaders(jdbc, sources);
                if (!now.equals(spread)) {
                    spread.clear();
                    spread.putAll(now);
                    stableSince[0] = System.nanoTime();
                }
                boolean fair = now.size() == sources && now.values().stream().distinct()
                        .allMatch(r -> java.util.Collections.frequency(now.values(), r) <= fairShare);
                return fair && System.nanoTime() - stableSince[0] > TimeUnit.SECONDS.toNanos(5);
            });
            Map<String, double[]> before = timers(ports);
            long measuredFrom = System.nanoTime();
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Map<String, double[]> now = timers(ports);
                for (int s = 0; s < sources; s++) {
                    double[] b = before.getOrDefault(sourceRoute(sourceId(s)), new double[2]);
                    double[] n = now.getOrDefault(sourceRoute(sourceId(s)), new double[2]);
                    if (n[0] - b[0] < polls) {
                        return false;
                    }
                }
                return true;
            });
            Map<String, double[]> after = timers(ports);
            double measuredSeconds = (System.nanoTime() - measuredFrom) / 1e9;

            try (Connection c = DriverManager.getConnection(jdbc, "postgres", null)) {
                System.out.printf("over %.0f s: source, leader, baseline (s), polls, mean of route source-<id> (ms; after the kamelet's fetch), of which detect+commit (ms), events in the log%n",
                        measuredSeconds);
                for (int s = 0; s < sources; s++) {
                    String id = sourceId(s);
                    double[] poll = delta(before, after, sourceRoute(id));
                    double[] detect = delta(before, after, "detect:" + sourceRoute(id));
                    System.out.printf("%-8s %-9s %8.1f %5.0f %8.0f %8.0f %8d%n", id, spread.get(id), (baselineAt.get(id) - ledAt.get(id)) / 1e9,
                            poll[0], 1000 * poll[1] / poll[0], 1000 * detect[1] / detect[0], events(c, id));
                }
            }
            System.out.println("router    sources  RSS MB  live heap MB (after GC.run)");
            for (int r = 0; r < routers; r++) {
                long pid = processes.get(r).pid();
                System.out.printf("router-%d  %7d %7d %8d%n", r, ledBy(jdbc, "router-" + r, sources), rssMb(pid), liveHeapMb(pid));
            }
            System.out.printf("load %s; PostgreSQL database size %d MB%n", load(), dbSizeMb(jdbc));
        } finally {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                p.waitFor(30, TimeUnit.SECONDS);
            }
            churn.shutdownNow();
            pbxs.forEach(VoipNowSimulator::stop);
        }
    }

    private static String sourceId(int s) {
        return "vn-" + s;
    }

    /**
     * The source's route, one exchange per poll: it receives the translated snapshot from the kamelet
     * and runs change detection and the commit (its timer excludes the fetch and the translation).
     */
    private static String sourceRoute(String sourceId) {
        return "source-" + sourceId;
    }

    private static int arg(String[] args, int i, int def) {
        return args.length > i ? Integer.parseInt(args[i].replace("_", "")) : def;
    }

    /** Per route id: the count and the sum (s) of Camel's route timer, over every router (only the leader polls). */
    private static Map<String, double[]> timers(int[] ports) throws IOException, InterruptedException {
        Map<String, double[]> all = new LinkedHashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        for (int port : ports) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = TIMER.matcher(body);
            while (m.find()) {
                String labels = m.group(3);
                Matcher route = Pattern.compile("routeId=\"([^\"]+)\"").matcher(labels);
                if (!route.find()) {
                    continue;
                }
                String key;
                if (m.group(1).equals("route_policy")) {
                    key = route.group(1);
                } else if (labels.contains("endpointName=\"direct://presence-poll\"") && labels.contains("ExchangeSentEvent")) {
                    key = "detect:" + route.group(1);
                } else {
                    continue;
                }
                double[] v = all.computeIfAbsent(key, k -> new double[2]);
                v[m.group(2).equals("count") ? 0 : 1] += Double.parseDouble(m.group(4));
            }
        }
        return all;
    }

    /** Extensions stored for the source; 0 while no router has created the schema yet. */
    private static long stored(Connection c, String source) throws Exception {
        try {
            return count(c, "SELECT count(*) FROM extension_state WHERE source_id = ?", source);
        } catch (java.sql.SQLException e) {
            return 0;
        }
    }

    private static long events(Connection c, String source) throws Exception {
        return count(c, "SELECT count(*) FROM event_log WHERE source_id = ?", source);
    }

    private static long count(Connection c, String sql, String source) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, source);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double[] delta(Map<String, double[]> before, Map<String, double[]> after, String key) {
        double[] b = before.getOrDefault(key, new double[2]);
        double[] a = after.getOrDefault(key, new double[2]);
        return new double[] {a[0] - b[0], a[1] - b[1]};
    }

    /** Source id to the router that holds its lock now. */
    private static Map<String, String> leaders(String jdbc, int sources) throws Exception {
        Map<String, String> leaders = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", null)) {
            for (int s = 0; s < sources; s++) {
                String id = sourceId(s);
                PackagedRouters.holder(c, "source-" + id).ifPresent(r -> leaders.put(id, r));
            }
        }
        return leaders;
    }

    private static int ledBy(String jdbc, String member, int sources) throws Exception {
        int n = 0;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", null)) {
            for (int s = 0; s < sources; s++) {
                if (PackagedRouters.holder(c, "source-" + sourceId(s)).equals(Optional.of(member))) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long dbSizeMb(String jdbc) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", null);
             ResultSet rs = c.createStatement().executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1) >> 20;
        }
    }

    private static long rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
            }
        }
        return -1;
    }

    /** Heap in use after a full collection: jcmd GC.run, then the "used" of GC.heap_info's heap line. */
    private static long liveHeapMb(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) >> 10 : -1;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static String load() throws IOException {
        return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3))
                + " (" + ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors() + " cores)";
    }
}
