package pbx.presence.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.Fencing;
import pbx.presence.change.SinkLog;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.PresenceEvent;
import pbx.presence.model.Registration;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.PostgresServer;
import pbx.presence.store.StoreSettings;
import pbx.presence.store.Stores;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fencing on a real PostgreSQL store (issue 12 item 3): a router whose leadership epoch has moved on
 * commits nothing (events, state, sink positions), says so in one line, and reloads its state from
 * the store once it leads again, so it never issues an event id twice.
 */
class FencedCommitTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private final String url = PostgresServer.newDatabase();
    private final JdbcEventStore store = store(url);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aRouterWhoseEpochMovedOnCommitsNothingAndReloadsWhenItLeadsAgain() throws Exception {
        store.ready(); // the migration creates cluster_leadership
        setEpoch("source-hq", 1);
        AtomicLong held = new AtomicLong(1);
        ChangeDetector router = new ChangeDetector(store, 3, false);
        router.useFencing(ns -> Optional.of(new Fencing.Fence(ns, held.get())));

        router.onSnapshot("hq", List.of(ext(Presence.AVAILABLE, T0)), T0);
        List<PresenceEvent> first = router.onSnapshot("hq", List.of(ext(Presence.AWAY, T0.plusSeconds(1))), T0.plusSeconds(1));
        assertEquals(1, first.size());
        assertEquals(1, first.get(0).sequence());
        long head = store.headPosition();

        setEpoch("source-hq", 2); // another router took the source over while this one was paused
        try (LogCapture log = LogCapture.open()) {
            List<PresenceEvent> fenced = router.onSnapshot("hq", List.of(ext(Presence.DND, T0.plusSeconds(2))), T0.plusSeconds(2));
            assertEquals(List.of(), fenced, "nothing is emitted under a lost leadership");
            assertTrue(log.all().contains("lost leadership of source hq"), log.all());
        }
        assertEquals(head, store.headPosition(), "no event was appended");
        assertEquals(Presence.AWAY, store.extension("hq", "201").orElseThrow().presence().presence(), "the state is unchanged");

        ChangeDetector other = new ChangeDetector(store, 3, false);
        other.useFencing(ns -> Optional.of(new Fencing.Fence(ns, 2)));
        assertEquals(2, other.onSnapshot("hq", List.of(ext(Presence.BUSY, T0.plusSeconds(3))), T0.plusSeconds(3)).get(0).sequence());

        setEpoch("source-hq", 3); // the first router leads again: what it cached is stale, so it reads the store
        held.set(3);
        List<PresenceEvent> again = router.onSnapshot("hq", List.of(ext(Presence.AVAILABLE, T0.plusSeconds(4))), T0.plusSeconds(4));
        assertEquals(1, again.size());
        assertEquals(3, again.get(0).sequence(), "sequence follows the other router's, no id reused");
    }

    @Test
    void aRouterThatLeadsNothingCommitsNothing() {
        store.ready();
        ChangeDetector router = new ChangeDetector(store, 3, false);
        router.useFencing(ns -> Optional.empty());
        assertEquals(List.of(), router.onSnapshot("hq", List.of(ext(Presence.AVAILABLE, T0)), T0));
        assertTrue(store.sources().isEmpty(), "not even the baseline is stored");
    }

    @Test
    void aSinkPositionAdvancesOnlyUnderTheCurrentEpoch() throws Exception {
        store.ready();
        setEpoch("sink-webhook", 1);
        store.sinkPosition("webhook", SinkLog.StartAt.START);
        store.saveSinkPosition("webhook", 5, new Fencing.Fence("sink-webhook", 1));
        setEpoch("sink-webhook", 2);
        Fencing.LostLeadership e = assertThrows(Fencing.LostLeadership.class,
                () -> store.saveSinkPosition("webhook", 9, new Fencing.Fence("sink-webhook", 1)));
        assertTrue(e.getMessage().contains("lost leadership of sink webhook"), e.getMessage());
        assertEquals(5, store.sinkPositions().get("webhook"));
    }

    private void setEpoch(String namespace, long epoch) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cluster_leadership (namespace, epoch, leader, since) VALUES (?, ?, 'test', now())"
                        + " ON CONFLICT (namespace) DO UPDATE SET epoch = excluded.epoch")) {
            ps.setString(1, namespace);
            ps.setLong(2, epoch);
            ps.executeUpdate();
        }
    }

    private static JdbcEventStore store(String url) {
        StoreSettings settings = new StoreSettings(null, url, "postgres", "", 2);
        return Stores.store(settings, Stores.dataSource(settings));
    }

    private static ExtensionPresence ext(Presence presence, Instant at) {
        return ExtensionPresence.builder("hq", "3cx-http", "201").name("Alice").presence(presence).presenceLabel(presence.name())
                .line(LineState.IDLE).registration(Registration.REGISTERED).observedAt(at).build();
    }
}
