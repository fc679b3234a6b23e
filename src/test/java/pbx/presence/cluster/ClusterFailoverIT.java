package pbx.presence.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.PackagedRouter;
import pbx.presence.StandardWebhooks;
import pbx.presence.change.PresenceDiff;
import pbx.presence.change.PresenceLog;
import pbx.presence.connector.threecx.ThreeCxCallControlTranslator;
import pbx.presence.connector.threecx.ThreeCxProfileMapping;
import pbx.presence.delivery.WebhookSigner;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.StoreSettings;
import pbx.presence.store.Stores;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 12: three packaged routers as OS processes in {@code presence.cluster.mode=database} on one
 * real PostgreSQL, four simulated 3CX sources whose extensions change every 50 ms, and a webhook
 * receiver that verifies every signature. The test SIGKILLs the leader of a random source again and
 * again (restarting it), then SIGSTOPs a leader past its session timeout and SIGCONTs it. Afterwards:
 * per source and extension the log's sequences run 1..N with no gap and no duplicate, no event id
 * reached the receiver with two different bodies, every logged event reached it, the stored state
 * equals the PBXs, every takeover took at most the documented bound (session timeout + 2 heartbeats),
 * and the resumed router committed nothing: it says it lost its leadership, and the log holds no
 * second event for any id.
 */
class ClusterFailoverIT {

    private static final int SOURCES = 4;
    private static final int EXTENSIONS = 8;
    private static final int ROUTERS = 3;
    private static final long HEARTBEAT_MILLIS = 500;
    private static final long SESSION_TIMEOUT_MILLIS = 5000;
    /** README "Running a cluster": leadership moves within session-timeout + 2 heartbeats. */
    private static final long TAKEOVER_BOUND_MILLIS = SESSION_TIMEOUT_MILLIS + 2 * HEARTBEAT_MILLIS;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    private final List<SimulatedPbx> pbxs = new ArrayList<>();
    private final List<ThreeCxCallControlSimulator> simulators = new ArrayList<>();
    private final Map<String, Set<String>> bodiesById = new ConcurrentHashMap<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private final Process[] routers = new Process[ROUTERS];
    private final String secret = WebhookSigner.generateSecret();
    private EmbeddedPostgres postgres;
    private HttpServer receiver;
    private ScheduledExecutorService mutator;

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : routers) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
        if (mutator != null) {
            mutator.shutdownNow();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        simulators.forEach(ThreeCxCallControlSimulator::stop);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void leadersKilledAndPausedLoseNothingAndCommitNothingAfterLosingTheirLock() throws Exception {
        assumeTrue(PackagedRouter.available(), "runs after `mvn package` (failsafe sets router.jar)");
        long seed = Long.getLong("cluster.seed", System.nanoTime());
        Random random = new Random(seed);
        int kills = Integer.getInteger("cluster.kills", 10);

        postgres = PackagedRouters.startPostgres();
        for (int s = 0; s < SOURCES; s++) {
            SimulatedPbx pbx = new SimulatedPbx();
            for (int i = 0; i < EXTENSIONS; i++) {
                pbx.put(SimulatedExtension.of(Integer.toString(200 + i), "User " + s + "-" + i));
            }
            pbxs.add(pbx);
            ThreeCxCallControlSimulator sim = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0);
            sim.start();
            simulators.add(sim);
        }
        startReceiver();
        prepareWorkDirs();
        mutator = Executors.newSingleThreadScheduledExecutor();
        Random changes = new Random(seed + 1);
        mutator.scheduleAtFixedRate(() -> pbxs.forEach(p -> mutate(p, changes)), 0, 50, TimeUnit.MILLISECONDS);

        for (int r = 0; r < ROUTERS; r++) {
            routers[r] = start(r);
        }
        await("three routers join (seed " + seed + ")").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> members() == ROUTERS && allSourcesLed());

        List<Long> takeovers = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            String source = sourceId(random.nextInt(SOURCES));
            int leader = awaitLeader(source, seed);
            long epoch = epoch(source);
            long t0 = System.nanoTime();
            routers[leader].destroyForcibly(); // SIGKILL
            routers[leader].waitFor();
            takeovers.add(awaitTakeover(source, leader, epoch, t0, seed));
            routers[leader] = start(leader);
            await("router-" + leader + " rejoins (seed " + seed + ")").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(() -> members() == ROUTERS);
        }

        // SIGSTOP a leader past its session timeout: PostgreSQL ends its silent session, the others take over
        String paused = sourceId(random.nextInt(SOURCES));
        int stopped = awaitLeader(paused, seed);
        List<String> itsSources = ledBy(stopped);
        Map<String, Long> epochs = new LinkedHashMap<>();
        for (String s : itsSources) {
            epochs.put(s, epoch(s));
        }
        long t0 = System.nanoTime();
        signal("STOP", routers[stopped]);
        for (String s : itsSources) {
            takeovers.add(awaitTakeover(s, stopped, epochs.get(s), t0, seed));
        }
        long logBefore = Files.size(log(stopped));
        long headBeforeResume = head();
        signal("CONT", routers[stopped]);
        await("the resumed router notices it lost its lock (seed " + seed + ")").atMost(Duration.ofSeconds(30))
                .until(() -> tail(log(stopped), logBefore).contains("lost its database session")
                        || tail(log(stopped), logBefore).contains("lost leadership of"));

        mutator.shutdown();
        assertTrue(mutator.awaitTermination(5, TimeUnit.SECONDS));
        JdbcEventStore store = openStore();
        try {
            try {
                await("convergence (seed " + seed + ")").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> whyNotConverged(store) == null);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("no convergence (seed " + seed + "): " + whyNotConverged(store) + "; logs in " + work, e);
            }

            assertEquals(List.of(), badSignatures, "every webhook carried a valid signature");
            List<PresenceLog.LoggedEvent> events = store.eventsAfter(0, Integer.MAX_VALUE, null, null);
            Map<String, List<Long>> sequences = new HashMap<>();
            for (PresenceLog.LoggedEvent e : events) {
                sequences.computeIfAbsent(e.sourceId() + "/" + (e.extension() == null ? "-source" : e.extension()), x -> new ArrayList<>())
                        .add(e.sequence());
            }
            for (var e : sequences.entrySet()) {
                List<Long> seqs = e.getValue();
                for (int i = 0; i < seqs.size(); i++) {
                    assertEquals(i + 1, seqs.get(i), e.getKey() + ": the log's sequences run 1..N with no gap or repeat, were "
                            + seqs + " (seed " + seed + ")");
                }
            }
            for (PresenceLog.LoggedEvent e : events) {
                String id = Json.MAPPER.readTree(e.json()).path("id").asText();
                Set<String> bodies = bodiesById.get(id);
                assertTrue(bodies != null, "event " + id + " (log position " + e.position() + ") was delivered");
                assertEquals(1, bodies.size(), "event id " + id + " delivered with one body only, was " + bodies);
            }
            bodiesById.forEach((id, bodies) -> assertEquals(1, bodies.size(), "event id " + id + " has one body"));
            long afterResume = events.stream().filter(e -> e.position() > headBeforeResume).count();
            assertTrue(events.size() > kills, "the run produced events to check (" + events.size() + ")");
            for (long ms : takeovers) {
                assertTrue(ms <= TAKEOVER_BOUND_MILLIS, "takeover in " + ms + " ms, bound " + TAKEOVER_BOUND_MILLIS + " ms: " + takeovers);
            }
            System.out.printf("cluster failover: %d kills + 1 pause, takeovers %s ms, %d events (%d after the resume), %d ids delivered"
                    + " (seed %d)%n", kills, takeovers, events.size(), afterResume, bodiesById.size(), seed);
        } finally {
            store.close();
        }
    }

    /** Null when converged: state equal to every PBX and every logged event delivered; else why not. */
    private String whyNotConverged(JdbcEventStore store) throws Exception {
        Map<String, PresenceLog.StoredExtension> stored = new HashMap<>();
        for (PresenceLog.StoredExtension e : store.snapshot().extensions()) {
            stored.put(e.sourceId() + "/" + e.presence().extension(), e);
        }
        for (int s = 0; s < SOURCES; s++) {
            List<ExtensionPresence> truth = new ThreeCxCallControlTranslator(sourceId(s), ThreeCxProfileMapping.defaults(), false)
                    .translate(simulators.get(s).extensionsJson().getBytes(StandardCharsets.UTF_8), Instant.now());
            for (ExtensionPresence p : truth) {
                PresenceLog.StoredExtension known = stored.get(sourceId(s) + "/" + p.extension());
                if (known == null) {
                    return "extension " + p.extension() + " of " + sourceId(s) + " missing from the store";
                }
                List<String> differs = PresenceDiff.changedFields(known.presence(), p);
                if (!differs.isEmpty()) {
                    return "extension " + p.extension() + " of " + sourceId(s) + " differs in " + differs;
                }
            }
        }
        for (PresenceLog.LoggedEvent e : store.eventsAfter(0, Integer.MAX_VALUE, null, null)) {
            String id = Json.MAPPER.readTree(e.json()).path("id").asText();
            if (!bodiesById.containsKey(id)) {
                return "event " + id + " (log position " + e.position() + ") not delivered yet";
            }
        }
        return null;
    }

    private static void mutate(SimulatedPbx pbx, Random r) {
        String ext = Integer.toString(200 + r.nextInt(EXTENSIONS));
        switch (r.nextInt(3)) {
            case 0 -> pbx.update(ext, e -> e.calls().isEmpty()
                    ? e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930" + r.nextInt(10000)))
                    : e.withNoCalls());
            case 1 -> pbx.update(ext, e -> e.withProfile(List.of(SimulatedExtension.AVAILABLE, SimulatedExtension.AWAY,
                    SimulatedExtension.OUT_OF_OFFICE).get(r.nextInt(3))));
            default -> pbx.update(ext, e -> e.withRegistered(!e.registered()));
        }
    }

    // ------------------------------------------------------------------ leadership as PostgreSQL sees it

    private int awaitLeader(String source, long seed) {
        int[] leader = {-1};
        await("a live leader of " + source + " (seed " + seed + ")").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Optional<String> holder = holder(source);
                    if (holder.isEmpty() || !holder.get().startsWith("router-")) {
                        return false;
                    }
                    int r = Integer.parseInt(holder.get().substring("router-".length()));
                    leader[0] = r;
                    return routers[r].isAlive();
                });
        return leader[0];
    }

    /** Waits until another router holds {@code source} under a newer epoch; returns the ms since {@code t0}. */
    private long awaitTakeover(String source, int former, long epoch, long t0, long seed) {
        String formerId = "router-" + former;
        await("takeover of " + source + " from " + formerId + " (seed " + seed + ")").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> holder(source).filter(h -> !h.equals(formerId)).isPresent() && epoch(source) > epoch);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private boolean allSourcesLed() throws Exception {
        for (int s = 0; s < SOURCES; s++) {
            if (holder(sourceId(s)).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private List<String> ledBy(int router) throws Exception {
        List<String> led = new ArrayList<>();
        for (int s = 0; s < SOURCES; s++) {
            if (holder(sourceId(s)).equals(Optional.of("router-" + router))) {
                led.add(sourceId(s));
            }
        }
        return led;
    }

    private Optional<String> holder(String source) throws Exception {
        try (Connection c = db()) {
            return PackagedRouters.holder(c, "source-" + source);
        }
    }

    private int members() throws Exception {
        try (Connection c = db()) {
            return PackagedRouters.members(c);
        }
    }

    private long epoch(String source) throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT epoch FROM cluster_leadership WHERE namespace = ?")) {
            ps.setString(1, "source-" + source);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private long head() throws Exception {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("SELECT position FROM log_head WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private Connection db() throws Exception {
        return DriverManager.getConnection(jdbcUrl(), "postgres", null);
    }

    private String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    private JdbcEventStore openStore() {
        StoreSettings settings = new StoreSettings(work.resolve("unused.db"), jdbcUrl(), "postgres", "", 2);
        return Stores.store(settings, Stores.dataSource(settings));
    }

    // ------------------------------------------------------------------ processes, files, receiver

    private static String sourceId(int s) {
        return "pbx-" + s;
    }

    private Path log(int router) {
        return work.resolve("router-" + router + "/router.log");
    }

    private static String tail(Path file, long from) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
    }

    private static void signal(String name, Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + p.pid());
    }

    private void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst(WebhookSigner.HEADER_ID);
            String ts = exchange.getRequestHeaders().getFirst(WebhookSigner.HEADER_TIMESTAMP);
            String sig = exchange.getRequestHeaders().getFirst(WebhookSigner.HEADER_SIGNATURE);
            int status = 200;
            if (!StandardWebhooks.valid(secret, id, ts, sig, body)) {
                badSignatures.add(id + " " + sig);
                status = 401;
            } else {
                JsonNode json = Json.MAPPER.readTree(body);
                bodiesById.computeIfAbsent(json.path("id").asText(), k -> ConcurrentHashMap.newKeySet())
                        .add(new String(body, StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    private void prepareWorkDirs() throws IOException {
        StringBuilder sources = new StringBuilder();
        for (int s = 0; s < SOURCES; s++) {
            sources.append("""
                    # Simulated 3CX Call Control bridge %1$s, polled every 100 ms by whichever router leads it.
                    - route:
                        id: source-%1$s
                        from:
                          uri: kamelet:3cx-callcontrol-presence-source
                          parameters:
                            sourceId: %1$s
                            url: "%2$s"
                            period: 100
                            initialDelay: 0
                          steps:
                            - to: direct:presence-poll
                    """.formatted(sourceId(s), simulators.get(s).extensionsUrl()));
        }
        for (int r = 0; r < ROUTERS; r++) {
            PackagedRouter.prepareFolder(work.resolve("router-" + r), sources.toString());
        }
    }

    private Process start(int router) throws IOException {
        List<String> options = List.of("-Xmx192m", "-XX:TieredStopAtLevel=1",
                "-Dpresence.demo.enabled=false",
                "-Dcamel.management.enabled=false",
                "-Dpresence.api.port=" + pbx.presence.RouterTestSupport.freePort(),
                "-Dpresence.file.enabled=false",
                "-Dpresence.cluster.mode=database",
                "-Dpresence.cluster.member-id=router-" + router,
                "-Dpresence.cluster.heartbeat-millis=" + HEARTBEAT_MILLIS,
                "-Dpresence.cluster.session-timeout-millis=" + SESSION_TIMEOUT_MILLIS,
                "-Dpresence.cluster.minimum-tenure-millis=1500",
                "-Dpresence.store.url=" + jdbcUrl(),
                "-Dpresence.store.username=postgres",
                "-Dpresence.store.pool-size=3",
                "-Dpresence.webhook.url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "-Dpresence.webhook.secret=" + secret,
                "-Dpresence.webhook.initial-delay-millis=50",
                "-Dpresence.webhook.max-delay-millis=500",
                "-Dpresence.webhook.max-attempts=1000");
        return PackagedRouter.start(work.resolve("router-" + router), log(router), options);
    }
}
