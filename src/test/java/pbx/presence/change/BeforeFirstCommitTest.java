package pbx.presence.change;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.PresenceEvent;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The work before a router's first commit (fixing where new sinks start): when it fails, as when the
 * database is away, the poll commits nothing and the next poll does it again; once done, never again.
 */
class BeforeFirstCommitTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aFailureCommitsNothingAndTheNextPollPreparesAgainThenNeverMore() {
        JdbcEventStore store = Stores.embedded(dir.resolve("presence.db"));
        try {
            ChangeDetector detector = new ChangeDetector(store, 3, true);
            AtomicInteger runs = new AtomicInteger();
            detector.beforeFirstCommit(() -> {
                if (runs.incrementAndGet() == 1) {
                    throw new StoreException("the database went away");
                }
            });
            List<ExtensionPresence> snapshot = List.of(ExtensionPresence.builder("hq", "3cx-http", "201").observedAt(T0).build());

            assertThrows(StoreException.class, () -> detector.onSnapshot("hq", snapshot, T0));
            assertTrue(store.eventsAfter(0, 10, null, null).isEmpty(), "nothing committed");

            List<PresenceEvent> events = detector.onSnapshot("hq", snapshot, T0.plusSeconds(1));
            assertEquals(List.of("hq:201:1"), events.stream().map(PresenceEvent::id).toList(), "the next poll commits, with the same id");
            assertEquals(1, store.eventsAfter(0, 10, null, null).size());

            List<PresenceEvent> later = detector.onSnapshot("hq", List.of(), T0.plusSeconds(2));
            assertEquals(List.of("hq:201:2"), later.stream().map(PresenceEvent::id).toList(), "a later poll commits too");
            assertEquals(2, runs.get(), "prepared once more after the failure, then not before later commits");
        } finally {
            store.close();
        }
    }
}
