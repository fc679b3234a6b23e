package pbx.presence.change;

import pbx.presence.model.PresenceEvent;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What the change detector needs from durable storage: the last known state of a source, and one
 * atomic commit per poll with changes (the changed extensions, the events they produced, the
 * source's own row). The detector owns this interface; the database behind it lives elsewhere
 * ({@code pbx.presence.store}). Every method throws {@link StoreException} when the store cannot be
 * trusted or reached; a failed commit changes nothing.
 */
public interface EventStore {

    /** The stored state of a source with every extension's full record, empty when the store has never seen it. */
    default Optional<SourceState> load(String sourceId) {
        Map<String, ExtensionState> extensions = new HashMap<>();
        return scan(sourceId, extensions::put)
                .map(s -> new SourceState(sourceId, extensions, s.sequence(), s.down()));
    }

    /**
     * Reads a source's stored state as a stream: every extension's state (tombstones too, with a null
     * {@code last}) is handed to {@code each} one at a time, so the caller keeps only what it needs of
     * it (the change detector keeps a fingerprint); then the source's own row is returned, with no
     * extensions in it. Empty when the store has never seen the source.
     */
    Optional<SourceState> scan(String sourceId, BiConsumer<String, ExtensionState> each);

    /**
     * The stored state of the named extensions of a source, tombstones included; an extension the
     * store does not hold is absent from the answer. Read in as few round trips as the database allows:
     * the change detector asks for the extensions whose fingerprint moved in a poll, all at once.
     */
    Map<String, ExtensionState> loadExtensions(String sourceId, Collection<String> extensions);

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
