package pbx.presence.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.Fencing;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.PresenceEvent;
import pbx.presence.model.Registration;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.PostgresServer;
import pbx.presence.store.StoreSettings;
import pbx.presence.store.Stores;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fencing in kubernetes mode (issue 12 item 3): two routers lead through Camel's Lease-based cluster
 * service on fabric8's mock API server (CRUD mode; no real cluster runs here) and share a real
 * PostgreSQL store. When leadership moves, the old leader's commit under its old fence writes nothing,
 * and the new leader continues the sequences from the store.
 */
class KubernetesFencingTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final String SOURCE = "source-hq";

    private final String url = PostgresServer.newDatabase();
    private final List<JdbcEventStore> stores = new ArrayList<>();
    private final List<CamelContext> routers = new ArrayList<>();
    private KubernetesMockApi api;

    @BeforeEach
    void startApiServer() {
        api = new KubernetesMockApi("router-0", "router-1");
    }

    @AfterEach
    void stop() {
        routers.forEach(CamelContext::stop);
        stores.forEach(JdbcEventStore::close);
        api.close();
    }

    @Test
    void aFormerLeaseHolderCommitsNothingAndTheNewLeaderContinuesTheSequences() throws Exception {
        Router a = router("router-0");
        await().atMost(Duration.ofSeconds(30)).until(() -> a.service.isLeader(SOURCE));
        a.detector.onSnapshot("hq", List.of(ext(Presence.AVAILABLE, T0)), T0);
        assertEquals(1, a.detector.onSnapshot("hq", List.of(ext(Presence.AWAY, T0.plusSeconds(1))), T0.plusSeconds(1)).get(0).sequence());
        Fencing.Fence aFence = a.fencing.fence(SOURCE).orElseThrow();

        Router b = router("router-1");
        assertEquals(Optional.empty(), b.fencing.fence(SOURCE), "a router that stands by gets no fence");
        // a stops renewing its Lease (its pod is gone from the API's view), as a paused or cut-off pod would
        a.context.stop();
        api.deletePod("router-0");
        await().atMost(Duration.ofSeconds(30)).until(() -> b.service.isLeader(SOURCE));

        List<PresenceEvent> bEvents = b.detector.onSnapshot("hq", List.of(ext(Presence.BUSY, T0.plusSeconds(3))), T0.plusSeconds(3));
        assertEquals(2, bEvents.get(0).sequence(), "the new leader read a's commits from the store and continues after them");
        long head = a.store.headPosition();

        // a wakes up and commits under the leadership it still believes it holds
        ChangeDetector stale = new ChangeDetector(a.store, 3, false);
        stale.useFencing(ns -> Optional.of(aFence));
        try (LogCapture log = LogCapture.open()) {
            assertEquals(List.of(), stale.onSnapshot("hq", List.of(ext(Presence.DND, T0.plusSeconds(4))), T0.plusSeconds(4)));
            assertTrue(log.all().contains("lost leadership of source hq"), log.all());
        }
        assertEquals(head, a.store.headPosition(), "no event was appended under the old fence");
        assertEquals(Presence.BUSY, a.store.extension("hq", "201").orElseThrow().presence().presence(), "the state is b's");
        assertEquals(Optional.empty(), a.fencing.fence(SOURCE), "a, stopped, no longer leads");
    }

    @Test
    void aLeaderWhoseEpochWasTakenByAStaleRouterTakesItBackAndReloads() throws Exception {
        Router b = router("router-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> b.service.isLeader(SOURCE));
        b.detector.onSnapshot("hq", List.of(ext(Presence.AVAILABLE, T0)), T0);
        assertEquals(1, b.detector.onSnapshot("hq", List.of(ext(Presence.AWAY, T0.plusSeconds(1))), T0.plusSeconds(1)).get(0).sequence());

        // a router whose Lease had expired while it was paused still believes it leads, bumps the epoch and commits
        JdbcEventStore staleStore = store();
        long staleEpoch = staleStore.takeLeadership(SOURCE, "router-0");
        ChangeDetector stale = new ChangeDetector(staleStore, 3, false);
        stale.useFencing(ns -> Optional.of(new Fencing.Fence(ns, staleEpoch)));
        assertEquals(2, stale.onSnapshot("hq", List.of(ext(Presence.DND, T0.plusSeconds(2))), T0.plusSeconds(2)).get(0).sequence());

        assertEquals(List.of(), b.detector.onSnapshot("hq", List.of(ext(Presence.BUSY, T0.plusSeconds(3))), T0.plusSeconds(3)),
                "b's commit under its taken epoch is refused");
        List<PresenceEvent> again = b.detector.onSnapshot("hq", List.of(ext(Presence.BUSY, T0.plusSeconds(4))), T0.plusSeconds(4));
        assertEquals(3, again.get(0).sequence(), "b, still the Lease holder, bumps again, reloads, and no id is reused");
        assertTrue(b.fencing.fence(SOURCE).orElseThrow().epoch() > staleEpoch);
    }

    private record Router(CamelContext context, CamelClusterService service, JdbcEventStore store, Fencing fencing, ChangeDetector detector) {
    }

    private Router router(String pod) throws Exception {
        CamelClusterService service = api.leases(pod, Duration.ofSeconds(3)).service();
        CamelContext ctx = new DefaultCamelContext();
        ctx.addService(service);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the leadership the kamelet's poll timer would run under; the test drives the polls itself
                from("master:" + SOURCE + ":timer:hq-" + pod + "?period=1000").routeId("hq-" + pod).log("tick");
            }
        });
        ctx.start();
        routers.add(ctx);
        JdbcEventStore store = store();
        Fencing fencing = Leaderships.of(service).fencing(store);
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.useFencing(fencing);
        return new Router(ctx, service, store, fencing, detector);
    }

    private JdbcEventStore store() {
        StoreSettings settings = new StoreSettings(null, url, "postgres", "", 2);
        JdbcEventStore store = Stores.store(settings, Stores.dataSource(settings));
        stores.add(store);
        return store;
    }

    private static ExtensionPresence ext(Presence presence, Instant at) {
        return ExtensionPresence.builder("hq", "3cx-http", "201").name("Alice").presence(presence).presenceLabel(presence.name())
                .line(LineState.IDLE).registration(Registration.REGISTERED).observedAt(at).build();
    }
}
