package pbx.presence.change;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.connector.PayloadException;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.model.LineState;
import pbx.presence.model.PresenceEvent;
import pbx.presence.model.Registration;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A poll in which many extensions changed is committed in batches (issue 13 item 4), on the real
 * embedded store: the events arrive batch by batch, in snapshot order with the removals last, each
 * batch one transaction; a commit that fails half way keeps what came before and the next poll
 * finds the rest with the very ids, and contents, one transaction would have given them.
 */
class ChangeDetectorBatchTest {

    private static final String SOURCE = "hq";
    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

    @TempDir
    Path dir;

    private JdbcEventStore jdbc;
    private CountingStore store;

    @BeforeEach
    void open() {
        jdbc = Stores.embedded(dir.resolve("presence.db"));
        store = new CountingStore(jdbc);
    }

    @AfterEach
    void close() {
        jdbc.close();
    }

    private static List<ExtensionPresence> extensions(int n, int busyUpTo) {
        return IntStream.range(0, n).mapToObj(i -> ExtensionPresence.builder(SOURCE, "3cx-callcontrol", Integer.toString(1000 + i))
                .name("Agent " + (1000 + i)).registration(Registration.REGISTERED)
                .line(i < busyUpTo ? LineState.TALKING : LineState.IDLE).activeCalls(i < busyUpTo ? 1 : 0).build()).toList();
    }

    private static List<String> described(List<PresenceEvent> events) {
        return events.stream().map(e -> e.type().substring(e.type().lastIndexOf('.') + 1) + " " + e.subject() + "#" + e.sequence()).toList();
    }

    @Test
    void aLargePollIsCommittedInBatchesInSnapshotOrderWithTheRemovalsLast() {
        ChangeDetector detector = new ChangeDetector(store, 3, false, 3);
        detector.onSnapshot(SOURCE, extensions(10, 0), T0);
        store.reset();

        // 1000..1006 start a call, 1008 and 1009 are gone: 9 events, batches of 3
        List<List<PresenceEvent>> batches = new ArrayList<>();
        int n = detector.onSnapshot(SOURCE, extensions(10, 7).subList(0, 8), T0.plusSeconds(1), batches::add);
        assertEquals(9, n);
        assertEquals(List.of(3, 3, 3), batches.stream().map(List::size).toList());
        assertEquals(3, store.commits, "one transaction per batch");
        assertEquals(List.of("changed 1000#1", "changed 1001#1", "changed 1002#1", "changed 1003#1", "changed 1004#1",
                        "changed 1005#1", "changed 1006#1", "removed 1008#1", "removed 1009#1"),
                described(batches.stream().flatMap(List::stream).toList()));
        assertEquals(9, jdbc.eventsAfter(0, 100, SOURCE, null).size(), "all nine in the log");

        store.reset();
        assertTrue(detector.onSnapshot(SOURCE, extensions(10, 7).subList(0, 8), T0.plusSeconds(2)).isEmpty());
        assertEquals(0, store.commits);
        ChangeDetector restarted = new ChangeDetector(store, 3, false, 3);
        assertTrue(restarted.onSnapshot(SOURCE, extensions(10, 7).subList(0, 8), T0.plusSeconds(3)).isEmpty(),
                "what the batches committed is the whole state");
    }

    @Test
    void aSnapshotIsReadOnceAndARepeatedExtensionStillFailsThePoll() {
        ChangeDetector detector = new ChangeDetector(store, 3, false, 3);
        detector.onSnapshot(SOURCE, extensions(10, 0), T0);
        List<ExtensionPresence> changed = extensions(10, 4);
        int[] reads = {0};
        List<ExtensionPresence> readOnce = new java.util.AbstractList<>() {
            @Override
            public ExtensionPresence get(int index) {
                return changed.get(index);
            }

            @Override
            public int size() {
                return changed.size();
            }

            @Override
            public java.util.Iterator<ExtensionPresence> iterator() {
                reads[0]++;
                return changed.iterator();
            }
        };
        assertEquals(4, detector.onSnapshot(SOURCE, readOnce, T0.plusSeconds(1)).size());
        assertEquals(1, reads[0], "one pass over the snapshot; the second pass works on the changed records it kept");

        List<ExtensionPresence> twice = new ArrayList<>(extensions(10, 4));
        twice.add(twice.get(2));
        PayloadException e = assertThrows(PayloadException.class, () -> detector.onSnapshot(SOURCE, twice, T0.plusSeconds(2)));
        assertEquals("the PBX listed extension(s) [1002] more than once in one poll", e.getMessage());
    }

    @Test
    void aSmallPollIsStillOneTransaction() {
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.onSnapshot(SOURCE, extensions(10, 0), T0);
        store.reset();
        assertEquals(4, detector.onSnapshot(SOURCE, extensions(10, 3).subList(0, 9), T0.plusSeconds(1)).size());
        assertEquals(1, store.commits, "three changes and a removal, under the batch size: one commit");
        assertEquals(1, store.extensionReads.size(), "and one read of their previous states");
    }

    @Test
    void aCommitFailingHalfWayKeepsTheBatchesBeforeAndTheNextPollGivesTheRestTheSameIdsAndContent() throws Exception {
        // the reference: the same two polls with one transaction each, on a store of its own
        JdbcEventStore other = Stores.embedded(dir.resolve("reference.db"));
        List<PresenceEvent> reference;
        try {
            ChangeDetector whole = new ChangeDetector(other, 3, false);
            whole.onSnapshot(SOURCE, extensions(10, 0), T0);
            reference = whole.onSnapshot(SOURCE, extensions(10, 7), T0.plusSeconds(1));
        } finally {
            other.close();
        }

        ChangeDetector detector = new ChangeDetector(store, 3, false, 3);
        detector.onSnapshot(SOURCE, extensions(10, 0), T0);
        store.reset();
        store.failCommit = 2;
        List<PresenceEvent> first = new ArrayList<>();
        StoreException e = assertThrows(StoreException.class,
                () -> detector.onSnapshot(SOURCE, extensions(10, 7), T0.plusSeconds(1), first::addAll));
        assertTrue(e.getMessage().startsWith("disk I/O error"), e.getMessage());
        assertEquals(List.of("changed 1000#1", "changed 1001#1", "changed 1002#1"), described(first), "the first batch is committed");
        assertEquals(3, jdbc.eventsAfter(0, 100, SOURCE, null).size());

        store.reset();
        List<PresenceEvent> rest = detector.onSnapshot(SOURCE, extensions(10, 7), T0.plusSeconds(1));
        assertEquals(List.of("changed 1003#1", "changed 1004#1", "changed 1005#1", "changed 1006#1"), described(rest),
                "the next poll finds exactly the rest");
        List<PresenceEvent> all = new ArrayList<>(first);
        all.addAll(rest);
        assertEquals(reference.size(), all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(Json.MAPPER.writeValueAsString(reference.get(i)), Json.MAPPER.writeValueAsString(all.get(i)),
                    "event " + reference.get(i).id() + " as one transaction would have written it");
        }
        assertEquals(7, jdbc.eventsAfter(0, 100, SOURCE, null).size(), "each event once in the log");
    }
}
