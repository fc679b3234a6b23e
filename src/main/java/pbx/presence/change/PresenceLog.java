package pbx.presence.change;

import pbx.presence.model.ExtensionPresence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The read side of the store, for consumers that look rather than deliver (the REST API, the SSE
 * stream, the wallboard). Positions are the event log's global, increasing positions: an event
 * committed after a reader asked for "everything after P" always has a position greater than P.
 */
public interface PresenceLog {

    /** Position of the newest committed event (0 when the log is empty). */
    long headPosition();

    /**
     * Position of the oldest event still kept; events before it were pruned by retention. When no
     * event is kept (a new or fully pruned log) it is {@code headPosition() + 1}.
     */
    long oldestPosition();

    /**
     * Events with a position greater than {@code after}, in position order, at most {@code limit};
     * {@code sourceId} and {@code type} filter when not null.
     */
    List<LoggedEvent> eventsAfter(long after, int limit, String sourceId, String type);

    /** The current state of every known (not removed) extension and the log position it reflects. */
    Snapshot snapshot();

    /** One extension's current state, when known and not removed. */
    Optional<StoredExtension> extension(String sourceId, String extension);

    /** Every source the store knows, sorted by id. */
    List<SourceStatus> sources();

    /** Calls {@code listener} after every commit that appended events (on the committing thread: keep it short). */
    void onCommit(Runnable listener);

    /** One event of the log: its position and the event's exact JSON as delivered to sinks. */
    record LoggedEvent(long position, String sourceId, String extension, long sequence, String type,
                       Instant time, String json) {
    }

    /** An extension's last known state and the sequence of its last event. */
    record StoredExtension(String sourceId, ExtensionPresence presence, long sequence) {
    }

    /** Every extension's state as of log position {@code position}: replay from there to follow on. */
    record Snapshot(long position, List<StoredExtension> extensions) {
    }

    /** What the store knows of a source. {@code lastGoodPoll} is null before the first good poll. */
    record SourceStatus(String sourceId, String vendor, boolean down, Instant lastGoodPoll,
                        int consecutiveFailures, int extensions) {
    }
}
