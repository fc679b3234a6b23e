package pbx.presence.change;

import java.time.Instant;

/**
 * The event log as the sinks consume it: the read side plus one durable position per named sink
 * (the last event it has finished with: delivered, filtered out or dead-lettered).
 */
public interface SinkLog extends PresenceLog {

    /**
     * The sink's stored position; a sink never seen before starts at {@code start} (which is then
     * stored, so "new" happens once).
     */
    long sinkPosition(String sink, StartAt start);

    /** Stores the sink's position: every event up to and including it is done. */
    void saveSinkPosition(String sink, long position);

    /** Like {@link #saveSinkPosition(String, long)}, only while {@code fence} holds; else {@link Fencing.LostLeadership}. */
    default void saveSinkPosition(String sink, long position, Fencing.Fence fence) {
        throw new UnsupportedOperationException("this store cannot fence sink positions (presence.cluster.mode = database)");
    }

    /**
     * Marks a sink as consuming in this process (or no longer): retention never prunes past the
     * position of a consuming sink. Claiming a name another route already consumes fails.
     */
    void consuming(String sink, boolean active);

    /** Stops calling a listener registered with {@link #onCommit}. */
    void removeOnCommit(Runnable listener);

    /** Where a new sink starts: the beginning of the kept log, its end, or the first event at or after a time. */
    record StartAt(Kind kind, Instant time) {
        public enum Kind { START, END, TIME }

        public static final StartAt START = new StartAt(Kind.START, null);
        public static final StartAt END = new StartAt(Kind.END, null);

        /** Parses {@code start}, {@code end} or an ISO-8601 instant such as {@code 2026-12-01T08:00:00Z}. */
        public static StartAt parse(String text) {
            if (text == null || text.isBlank() || text.equalsIgnoreCase("end")) {
                return END;
            }
            if (text.equalsIgnoreCase("start")) {
                return START;
            }
            try {
                return new StartAt(Kind.TIME, Instant.parse(text.strip()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("startAt must be start, end or an ISO-8601 instant such as "
                        + "2026-12-01T08:00:00Z, was '" + text + "'");
            }
        }
    }
}
