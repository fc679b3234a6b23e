package pbx.presence.change;

import pbx.presence.model.PresenceEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the change detector needs from durable storage: the last known state of a source, and one
 * atomic commit per poll with changes (the changed extensions, the events they produced, the
 * source's own row). The detector owns this interface; the database behind it lives elsewhere
 * ({@code pbx.presence.store}). Both methods throw {@link StoreException} when the store cannot be
 * trusted or reached; a failed commit changes nothing.
 */
public interface EventStore {

    /** The stored state of a source, empty when the store has never seen it. */
    Optional<SourceState> load(String sourceId);

    /**
     * The source's own row only (sequence, DOWN), without its extensions: enough to report a source
     * DOWN whose extension state cannot be read. Empty when the store has never seen the source.
     */
    Optional<SourceState> loadSource(String sourceId);

    /** Writes one poll's outcome in one transaction, or nothing at all. */
    void commit(Commit commit);

    /**
     * Like {@link #commit(Commit)}, but only while {@code fence} still holds: in the same transaction
     * the store checks that the leadership epoch of the source is still the fence's, and otherwise
     * writes nothing and throws {@link Fencing.LostLeadership} (issue 12).
     */
    default void commit(Commit commit, Fencing.Fence fence) {
        throw new UnsupportedOperationException("this store cannot fence commits (presence.cluster.mode = database)");
    }

    /**
     * One poll's outcome.
     *
     * @param vendor connector id of the source's records, when known (for the read side)
     * @param extensions only the extensions whose state or sequence changed ({@code last} null: removed)
     * @param sourceSequence sequence of the last source-level event (down / up)
     * @param down whether the source is reported DOWN after this commit
     * @param failures consecutive failed polls at this commit (0 after a good poll)
     * @param goodPoll time of this good poll, null when the commit records a failure
     * @param events the events to append to the log, in order
     */
    record Commit(String sourceId, String vendor, Map<String, ExtensionState> extensions, long sourceSequence,
                  boolean down, int failures, Instant goodPoll, List<PresenceEvent> events) {
    }
}
