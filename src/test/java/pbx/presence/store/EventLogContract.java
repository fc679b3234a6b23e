package pbx.presence.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.change.EventStore.Commit;
import pbx.presence.change.ExtensionState;
import pbx.presence.change.PresenceLog.LoggedEvent;
import pbx.presence.change.SinkLog.StartAt;
import pbx.presence.change.SourceState;
import pbx.presence.change.StoreException;
import pbx.presence.connector.threecx.ThreeCxCallControlTranslator;
import pbx.presence.connector.threecx.ThreeCxProfileMapping;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.PresenceEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the store promises, run against a real SQLite file and a real PostgreSQL server alike: a
 * reader never misses an event committed while it reads, a commit is all or nothing, a damaged row
 * is never "no state", and new sinks start where they are told.
 */
abstract class EventLogContract {

    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    JdbcEventStore store;

    abstract JdbcEventStore newStore() throws Exception;

    /** This database's SQL literal for bytes given in hex. */
    abstract String bytes(String hex);

    /** Runs one SQL update on the store's database, as an operator's tool would. */
    void sql(String statement) throws Exception {
        try (var c = store.dataSource().getConnection(); var st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    @BeforeEach
    void open() throws Exception {
        store = newStore();
        store.ready();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aReaderAskingForEventsAfterPMissesNoneWhileOtherSourcesCommit() throws Exception {
        int sources = 4;
        int commitsPerSource = 60;
        ExecutorService pool = Executors.newFixedThreadPool(sources + 1);
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writers = new ArrayList<>();
        for (int s = 0; s < sources; s++) {
            String source = "src-" + s;
            writers.add(pool.submit(() -> {
                go.await();
                for (int i = 1; i <= commitsPerSource; i++) {
                    List<PresenceEvent> events = new ArrayList<>();
                    for (int k = 0; k < 1 + i % 3; k++) {
                        long seq = (long) i * 10 + k;
                        events.add(PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, source, seq, T0.plusMillis(i), 1, "x"));
                    }
                    store.commit(new Commit(source, null, Map.of(), i * 10L + 9, false, 0, T0, events));
                }
                return null;
            }));
        }
        Future<List<LoggedEvent>> reader = pool.submit(() -> {
            List<LoggedEvent> seen = new ArrayList<>();
            long p = 0;
            go.await();
            while (true) {
                boolean last = !writing.get();
                List<LoggedEvent> batch = store.eventsAfter(p, 7, null, null);
                for (LoggedEvent e : batch) {
                    assertEquals(p + 1, e.position(), "positions follow each other with no hole a later commit could fill");
                    p = e.position();
                    seen.add(e);
                }
                if (batch.isEmpty() && last) {
                    return seen;
                }
            }
        });
        go.countDown();
        for (Future<?> w : writers) {
            w.get(120, TimeUnit.SECONDS);
        }
        writing.set(false);
        List<LoggedEvent> seen = reader.get(120, TimeUnit.SECONDS);
        pool.shutdownNow();

        List<LoggedEvent> all = store.eventsAfter(0, Integer.MAX_VALUE, null, null);
        assertEquals(all.size(), seen.size(), "the reader saw every committed event");
        Set<String> ids = new HashSet<>();
        for (LoggedEvent e : seen) {
            assertTrue(ids.add(e.sourceId() + ":" + e.sequence()), "each event once");
        }
        assertEquals(store.headPosition(), all.get(all.size() - 1).position());
    }

    @Test
    void aFailedCommitChangesNothing() throws Exception {
        List<ExtensionPresence> ps = presences("s");
        Map<String, ExtensionState> exts = new HashMap<>();
        for (ExtensionPresence p : ps) {
            exts.put(p.extension(), new ExtensionState(p, 0));
        }
        store.commit(new Commit("s", "3cx-callcontrol", exts, 0, false, 0, T0, List.of()));
        long head = store.headPosition();
        ExtensionPresence p = ps.get(0);
        PresenceEvent good = PresenceEvent.extensionEvent(EventType.CHANGED, "s", p.extension(), 1, T0, p, p, List.of("line"));
        PresenceEvent broken = new PresenceEvent("1.0", "s:x:1", "/pbx-presence/sources/s", null, "x", T0, "application/json", 1, good.data());
        assertThrows(StoreException.class, () -> store.commit(new Commit("s", null,
                Map.of(p.extension(), new ExtensionState(null, 1)), 5, true, 0, T0, List.of(good, broken))));
        assertEquals(head, store.headPosition(), "no position taken");
        SourceState after = store.load("s").orElseThrow();
        assertEquals(0, after.extensions().get(p.extension()).sequence(), "the extension row is unchanged");
        assertEquals(p, after.extensions().get(p.extension()).last());
        assertEquals(0, after.sequence());
        assertFalse(after.down());
    }

    @Test
    void aStoredStateThatDoesNotParseIsNeverNoState() throws Exception {
        List<ExtensionPresence> ps = presences("s");
        Map<String, ExtensionState> exts = new HashMap<>();
        for (ExtensionPresence p : ps) {
            exts.put(p.extension(), new ExtensionState(p, 3));
        }
        store.commit(new Commit("s", "3cx-callcontrol", exts, 0, false, 0, T0, List.of()));
        String ext = ps.get(1).extension();
        sql("UPDATE extension_state SET presence = " + bytes("0badc0de") + " WHERE extension = '" + ext + "'");
        StoreException e = assertThrows(StoreException.class, () -> store.load("s"));
        assertTrue(e.getMessage().contains("extension " + ext + " of source s") && e.getMessage().contains("cannot be trusted")
                && e.getMessage().contains("UPDATE extension_state SET presence = NULL"), e.getMessage());
        // the documented repair keeps the sequence
        sql("UPDATE extension_state SET presence = NULL WHERE source_id = 's' AND extension = '" + ext + "'");
        ExtensionState repaired = store.load("s").orElseThrow().extensions().get(ext);
        assertEquals(3, repaired.sequence());
        assertEquals(null, repaired.last());
    }

    @Test
    void aNewSinkStartsAtTheEndTheStartOrATime() {
        for (int i = 1; i <= 5; i++) {
            store.commit(new Commit("s", null, Map.of(), i, false, 0, T0,
                    List.of(PresenceEvent.sourceEvent(EventType.SOURCE_UP, "s", i, T0.plusSeconds(i * 60L), 0, null))));
        }
        assertEquals(5, store.sinkPosition("late", StartAt.END));
        assertEquals(0, store.sinkPosition("all", StartAt.START));
        assertEquals(2, store.sinkPosition("from-3", StartAt.parse(T0.plusSeconds(180).toString())));
        store.saveSinkPosition("all", 4);
        assertEquals(4, store.sinkPosition("all", StartAt.START), "a known sink keeps its position");
        assertEquals(Map.of("all", 4L, "from-3", 2L, "late", 5L), store.sinkPositions());
    }

    @Test
    void previousStatesAreReadInBatchesAndTheWholeSourceAsAStream() {
        ExtensionPresence template = presences("s").get(0);
        Map<String, ExtensionState> exts = new HashMap<>();
        for (int i = 0; i < 1200; i++) {
            String ext = Integer.toString(5000 + i);
            ExtensionPresence p = template.toBuilder().build();
            p = new ExtensionPresence(p.source(), p.vendor(), ext, p.extensionId(), "User " + i, p.enabled(), p.presence(),
                    p.presenceLabel(), p.dnd(), p.chat(), p.line(), p.activeCalls(), p.callWaiting(), p.registration(), p.devices(),
                    p.agent(), p.queues(), p.allowedCalls(), p.presenceAcceptsCalls(), p.unrecognised(), p.availability(),
                    p.acceptsCalls(), p.reasons(), p.vendorStatus(), p.observedAt());
            exts.put(ext, new ExtensionState(i == 7 ? null : p, i % 5));
        }
        store.commit(new Commit("s", "3cx-callcontrol", exts, 4, false, 0, T0, List.of()));

        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            wanted.add(Integer.toString(5000 + i));
        }
        wanted.add("no-such-extension");
        Map<String, ExtensionState> read = store.loadExtensions("s", wanted);
        assertEquals(1100, read.size(), "more than one statement's worth, and nothing for an unknown extension");
        assertEquals(exts.get("5003"), read.get("5003"), "the whole record, vendorStatus included");
        assertEquals(new ExtensionState(null, 2), read.get("5007"), "a tombstone keeps its sequence");
        assertTrue(store.loadExtensions("s", List.of()).isEmpty());
        assertTrue(store.loadExtensions("other", List.of("5003")).isEmpty(), "another source's extension is not this one's");

        Map<String, ExtensionState> streamed = new HashMap<>();
        SourceState source = store.scan("s", streamed::put).orElseThrow();
        assertEquals(exts, streamed);
        assertEquals(4, source.sequence());
        assertTrue(source.extensions().isEmpty(), "the stream handed the extensions over; none are kept");
        assertTrue(store.scan("never-seen", (e, st) -> {
            throw new AssertionError("no rows");
        }).isEmpty());
    }

    static List<ExtensionPresence> presences(String source) {
        SimulatedPbx pbx = new SimulatedPbx();
        DemoScenario.initialExtensions().forEach(pbx::put);
        String json = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0).extensionsJson();
        return new ThreeCxCallControlTranslator(source, ThreeCxProfileMapping.defaults(), false)
                .translate(json.getBytes(StandardCharsets.UTF_8), T0);
    }
}
