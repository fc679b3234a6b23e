package pbx.presence.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * Leadership through a real PostgreSQL server: routers are Camel contexts in this JVM, each with its
 * own lock session, running {@code master:} routes the way the router's sources and sinks do.
 */
class PostgresLockClusterServiceTest {

    private static final List<String> FOUR = List.of("source-a", "source-b", "source-c", "source-d");
    private static final List<String> SIX = List.of("source-a", "source-b", "source-c", "source-d", "source-e", "source-f");
    private List<String> namespaces = FOUR;
    private static EmbeddedPostgres postgres;
    private final List<CamelContext> routers = new ArrayList<>();
    /** namespace -> router -> ticks of that router's master route for the namespace */
    private final Map<String, Map<String, AtomicLong>> ticks = new ConcurrentHashMap<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL server this test needs: " + e, e);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE cluster_leadership (namespace text PRIMARY KEY, epoch bigint NOT NULL,"
                    + " leader text NOT NULL, since timestamptz NOT NULL)");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void stopRouters() {
        routers.forEach(CamelContext::stop);
    }

    @Test
    void exactlyOneRouterLeadsEachNamespaceAndLeadershipSpreads() throws Exception {
        CamelContext a = router("router-a");
        CamelContext b = router("router-b");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String ns : namespaces) {
                assertEquals(1, leaders(ns).size(), "leaders of " + ns + ": " + leaders(ns));
            }
            assertEquals(2, ledBy(a).size(), "router-a leads " + ledBy(a));
            assertEquals(2, ledBy(b).size(), "router-b leads " + ledBy(b));
        });
        // each namespace's route runs on its leader only
        for (String ns : namespaces) {
            String leader = leaders(ns).get(0);
            long other = ticksOf(ns, leader.equals("router-a") ? "router-b" : "router-a");
            await().atMost(Duration.ofSeconds(5)).until(() -> ticksOf(ns, leader) > 3);
            assertEquals(other, ticksOf(ns, leader.equals("router-a") ? "router-b" : "router-a"), "the non-leader ran " + ns);
        }
    }

    @Test
    void threeRoutersAndSixSourcesSpreadTwoEachAndALeavingRoutersSourcesMoveToTheOthers() throws Exception {
        namespaces = SIX;
        CamelContext a = router("router-a");
        CamelContext b = router("router-b");
        CamelContext c = router("router-c");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (CamelContext r : List.of(a, b, c)) {
                assertEquals(2, ledBy(r).size(), r.getName() + " leads " + ledBy(r));
            }
            for (String ns : namespaces) {
                assertEquals(1, leaders(ns).size(), "leaders of " + ns + ": " + leaders(ns));
            }
        });
        c.stop();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertEquals(3, ledBy(a).size(), "router-a leads " + ledBy(a));
            assertEquals(3, ledBy(b).size(), "router-b leads " + ledBy(b));
        });
    }

    @Test
    void aStoppedRouterHandsOverAndEachTakeoverRaisesTheEpoch() throws Exception {
        CamelContext a = router("router-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledBy(a).size() == namespaces.size());
        long epochBefore = epoch("source-a");
        CamelContext b = router("router-b");
        await().atMost(Duration.ofSeconds(20)).until(() -> ledBy(b).size() == 2);

        a.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> ledBy(b).size() == namespaces.size());
        assertTrue(epoch("source-a") > epochBefore, "epoch after takeover " + epoch("source-a") + " > " + epochBefore);
        assertEquals(epoch("source-a"), service(b).epochOf("source-a").orElseThrow());
    }

    @Test
    void aRouterCutOffFromTheDatabaseLosesEverythingAndAnotherTakesOver() throws Exception {
        CamelContext a = router("router-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> ledBy(a).size() == namespaces.size());
        CamelContext b = router("router-b");
        await().atMost(Duration.ofSeconds(20)).until(() -> ledBy(b).size() == 2);

        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(" + service(a).sessionPid() + ")");
        }
        // a notices at its next beat and gives everything up; b takes it all while a is away
        await().atMost(Duration.ofSeconds(10)).until(() -> ledBy(b).size() >= 3);
        // a's session comes back and the cluster settles to fair shares again
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(2, ledBy(a).size(), "router-a leads " + ledBy(a));
            assertEquals(2, ledBy(b).size(), "router-b leads " + ledBy(b));
            for (String ns : namespaces) {
                assertEquals(1, leaders(ns).size(), "leaders of " + ns + ": " + leaders(ns));
            }
        });
    }

    @Test
    void aSilentSessionIsEndedByTheServerSoAPausedLeaderLosesItsLock() throws Exception {
        // what a SIGSTOPped router looks like to PostgreSQL: an open connection that says nothing
        AdvisoryLockSession.ConnectionSource open = () -> java.sql.DriverManager.getConnection(
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
        try (AdvisoryLockSession paused = new AdvisoryLockSession(open, "paused", Duration.ofSeconds(1));
             AdvisoryLockSession other = new AdvisoryLockSession(open, "other", Duration.ofSeconds(30))) {
            paused.ensureOpen();
            other.ensureOpen();
            int key = AdvisoryLockSession.keyOf("source-paused");
            assertTrue(paused.tryLock(key));
            assertTrue(!other.tryLock(key), "the lock is held while the holder's session lives");
            assertEquals("paused", other.holderOf(key).orElseThrow());
            await().atMost(Duration.ofSeconds(10)).until(() -> other.tryLock(key));
            assertEquals("other", other.holderOf(key).orElseThrow());
        }
    }

    private CamelContext router(String id) throws Exception {
        PostgresLockClusterService service = new PostgresLockClusterService(id,
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
        service.setHeartbeat(Duration.ofMillis(200));
        service.setSessionTimeout(Duration.ofSeconds(2));
        CamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName(id);
        ctx.addService(service);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String ns : namespaces) {
                    from("master:" + ns + ":timer:" + ns + "-" + id + "?period=50").routeId(ns + "-" + id)
                            .process(e -> ticks.computeIfAbsent(ns, k -> new ConcurrentHashMap<>())
                                    .computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet());
                }
            }
        });
        ctx.start();
        routers.add(ctx);
        return ctx;
    }

    private static PostgresLockClusterService service(CamelContext ctx) {
        return ctx.hasService(PostgresLockClusterService.class);
    }

    private List<String> ledBy(CamelContext ctx) {
        return namespaces.stream().filter(ns -> service(ctx).epochOf(ns).isPresent()).toList();
    }

    private List<String> leaders(String ns) {
        return routers.stream().filter(CamelContext::isStarted).filter(r -> service(r).epochOf(ns).isPresent())
                .map(CamelContext::getName).toList();
    }

    private long ticksOf(String ns, String router) {
        AtomicLong n = ticks.getOrDefault(ns, Map.of()).get(router);
        return n == null ? 0 : n.get();
    }

    private static long epoch(String ns) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT epoch FROM cluster_leadership WHERE namespace = '" + ns + "'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
