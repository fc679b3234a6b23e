package pbx.presence.change;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.PresenceEvent;
import pbx.presence.model.Registration;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At most {@code presence.source.max-changes-per-poll} changed extensions per poll (issue 13 item 4), on
 * the real embedded store: the others keep their stored state and the next polls take them, starting
 * where the last one stopped, so none waits forever; nothing is lost or announced twice, and how many
 * were left and since when is known.
 */
class ChangeDetectorLimitTest {

    private static final String SOURCE = "hq";
    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

    @TempDir
    Path dir;

    private JdbcEventStore store;

    @BeforeEach
    void open() {
        store = Stores.embedded(dir.resolve("presence.db"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** n extensions; the ones in {@code busy} are on a call. */
    private static List<ExtensionPresence> extensions(int n, Set<Integer> busy) {
        return IntStream.range(0, n).mapToObj(i -> ExtensionPresence.builder(SOURCE, "3cx-callcontrol", Integer.toString(1000 + i))
                .name("Agent " + (1000 + i)).registration(Registration.REGISTERED)
                .line(busy.contains(i) ? LineState.TALKING : LineState.IDLE).activeCalls(busy.contains(i) ? 1 : 0).build()).toList();
    }

    private static List<String> subjects(List<PresenceEvent> events) {
        return events.stream().map(e -> e.subject() + "#" + e.sequence()).toList();
    }

    @Test
    void aPollTakesAtMostTheLimitAndTheNextPollsTakeTheRestWhereTheLastStopped() {
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.maxChangesPerPoll(3);
        detector.onSnapshot(SOURCE, extensions(10, Set.of()), T0);

        // 1001..1007 start a call: 7 changes, 3 per poll
        List<ExtensionPresence> busy = extensions(10, Set.of(1, 2, 3, 4, 5, 6, 7));
        assertEquals(List.of("1001#1", "1002#1", "1003#1"), subjects(detector.onSnapshot(SOURCE, busy, T0.plusSeconds(1))));
        assertEquals(4, detector.deferredChanges(SOURCE));
        assertEquals(T0.plusSeconds(1), detector.deferringSince(SOURCE));
        assertEquals(Set.of(SOURCE), detector.sourcesDeferring());
        assertEquals("IDLE", store.load(SOURCE).orElseThrow().extensions().get("1004").last().line().name(),
                "a change left for later keeps its stored state");

        assertEquals(List.of("1004#1", "1005#1", "1006#1"), subjects(detector.onSnapshot(SOURCE, busy, T0.plusSeconds(2))));
        assertEquals(1, detector.deferredChanges(SOURCE));
        assertEquals(T0.plusSeconds(1), detector.deferringSince(SOURCE), "still leaving changes since the first such poll");

        // by now 1001 has hung up again: the poll starts at 1007, then wraps round to the start
        List<ExtensionPresence> next = extensions(10, Set.of(2, 3, 4, 5, 6, 7));
        assertEquals(List.of("1007#1", "1001#2"), subjects(detector.onSnapshot(SOURCE, next, T0.plusSeconds(3))));
        assertEquals(0, detector.deferredChanges(SOURCE));
        assertNull(detector.deferringSince(SOURCE));
        assertTrue(detector.sourcesDeferring().isEmpty());
        assertEquals(List.of(), detector.onSnapshot(SOURCE, next, T0.plusSeconds(4)), "everything taken: a quiet poll");
        assertEquals(8, store.eventsAfter(0, 100, SOURCE, null).size(), "each change announced once");
    }

    @Test
    void whereEveryPollIsFullNoExtensionWaitsForever() {
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.maxChangesPerPoll(4);
        detector.onSnapshot(SOURCE, extensions(10, Set.of()), T0);
        // every extension toggles between every poll: up to 10 changes each time, 4 taken; an extension
        // left in one poll is back to its stored state in the next, so only a turn that moves on reaches it
        java.util.Map<String, Integer> announced = new java.util.TreeMap<>();
        for (int poll = 1; poll <= 8; poll++) {
            Set<Integer> busy = poll % 2 == 1 ? Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9) : Set.of();
            List<PresenceEvent> events = detector.onSnapshot(SOURCE, extensions(10, busy), T0.plusSeconds(poll));
            assertTrue(events.size() <= 4, "at most the limit per poll, was " + events.size());
            events.forEach(e -> announced.merge(e.subject(), 1, Integer::sum));
        }
        assertEquals(10, announced.size(), "every extension got its turn within eight polls: " + announced);
    }

    @Test
    void aRestartWithChangesLeftForLaterLosesNoneOfThem() {
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.maxChangesPerPoll(2);
        detector.onSnapshot(SOURCE, extensions(6, Set.of()), T0);
        List<ExtensionPresence> busy = extensions(6, Set.of(0, 1, 2, 3, 4, 5));
        assertEquals(List.of("1000#1", "1001#1"), subjects(detector.onSnapshot(SOURCE, busy, T0.plusSeconds(1))));

        // the router restarts: what was left lives only in the store's difference from the PBX
        ChangeDetector restarted = new ChangeDetector(store, 3, false);
        restarted.maxChangesPerPoll(2);
        assertEquals(List.of("1002#1", "1003#1"), subjects(restarted.onSnapshot(SOURCE, busy, T0.plusSeconds(2))));
        assertEquals(List.of("1004#1", "1005#1"), subjects(restarted.onSnapshot(SOURCE, busy, T0.plusSeconds(3))));
        assertEquals(List.of(), restarted.onSnapshot(SOURCE, busy, T0.plusSeconds(4)));
        assertEquals(6, store.eventsAfter(0, 100, SOURCE, null).size(), "each change once, none lost by the restart");
    }

    @Test
    void removalsLeftForLaterAreTakenOnceThereIsRoom() {
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.maxChangesPerPoll(2);
        detector.onSnapshot(SOURCE, extensions(6, Set.of()), T0);
        // 1000 and 1001 start a call, 1004 and 1005 are gone
        List<ExtensionPresence> after = extensions(6, Set.of(0, 1)).subList(0, 4);
        assertEquals(List.of("1000#1", "1001#1"), subjects(detector.onSnapshot(SOURCE, after, T0.plusSeconds(1))));
        assertEquals(2, detector.deferredChanges(SOURCE));
        List<PresenceEvent> removals = detector.onSnapshot(SOURCE, after, T0.plusSeconds(2));
        assertEquals(List.of("pbx.extension.removed 1004", "pbx.extension.removed 1005"),
                removals.stream().map(e -> e.type() + " " + e.subject()).sorted().toList());
        assertEquals(0, detector.deferredChanges(SOURCE));
    }

    @Test
    void noLimitTakesEverythingAndANegativeLimitIsRefused() {
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.maxChangesPerPoll(0);
        detector.onSnapshot(SOURCE, extensions(50, Set.of()), T0);
        Set<Integer> all = new java.util.HashSet<>(IntStream.range(0, 50).boxed().toList());
        assertEquals(50, detector.onSnapshot(SOURCE, extensions(50, all), T0.plusSeconds(1)).size());
        assertEquals(0, detector.deferredChanges(SOURCE));
        assertEquals("presence.source.max-changes-per-poll must be 0 (no limit) or more, was -1",
                assertThrows(IllegalArgumentException.class, () -> detector.maxChangesPerPoll(-1)).getMessage());
    }
}
