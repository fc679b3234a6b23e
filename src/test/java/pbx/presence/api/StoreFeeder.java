package pbx.presence.api;

import pbx.presence.change.EventStore;
import pbx.presence.change.ExtensionState;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.PresenceEvent;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes into the running router's real store exactly what a poll of a source would commit (the
 * extension's new state and its event, in one transaction), so an API test can make hundreds of
 * precise changes in a second. Used for sources the router does not poll itself.
 */
final class StoreFeeder {

    private final JdbcEventStore store;
    private final Map<String, ExtensionState> known = new HashMap<>();

    StoreFeeder(JdbcEventStore store) {
        this.store = store;
    }

    /** Commits a new state for an extension: pbx.extension.added the first time, pbx.presence.changed after. */
    synchronized void put(ExtensionPresence after) {
        String key = after.source() + "/" + after.extension();
        ExtensionState previous = known.get(key);
        long sequence = previous == null ? 1 : previous.sequence() + 1;
        PresenceEvent event = PresenceEvent.extensionEvent(previous == null ? EventType.ADDED : EventType.CHANGED, after.source(),
                after.extension(), sequence, Instant.now(), previous == null ? null : previous.last(), after,
                previous == null ? null : List.of("availability"));
        store.commit(new EventStore.Commit(after.source(), after.vendor(), Map.of(after.extension(), new ExtensionState(after, sequence)),
                0, false, 0, Instant.now(), List.of(event)));
        known.put(key, new ExtensionState(after, sequence));
    }

    /** Commits a failed poll of a source that leaves it DOWN after {@code failures} failures. */
    void down(String sourceId, String vendor, int failures) {
        store.commit(new EventStore.Commit(sourceId, vendor, Map.of(), 0, true, failures, null, List.of()));
    }

    /** Prunes every event the running sinks have passed, as retention does once events are old enough. */
    long pruneAll() {
        return new Retention(store, Duration.ZERO, Clock.offset(Clock.system(ZoneOffset.UTC), Duration.ofDays(1)), 1000).pruneOnce();
    }
}
