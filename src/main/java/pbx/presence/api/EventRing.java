package pbx.presence.api;

import pbx.presence.change.PresenceLog.LoggedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The newest events of the log, kept once in memory for every live stream client (a fixed number,
 * oldest dropped first), each with its wire form encoded once, so 200 clients following the head
 * cost one log read and one encoding per event rather than 200. A client further behind than the
 * ring reads the log itself.
 */
final class EventRing {

    /** Events after a position, in wire form: {@code coveredUpTo} is the position the reader has now seen everything up to. */
    record Page(List<byte[]> frames, long coveredUpTo) {
    }

    private final LoggedEvent[] buffer;
    private final byte[][] frames;
    private final Function<LoggedEvent, byte[]> encoder;
    private int start;
    private int size;
    /** Every event with a position greater than floor and at most head is in the buffer. */
    private long floor;
    private long head;

    EventRing(int capacity, long head, Function<LoggedEvent, byte[]> encoder) {
        this.buffer = new LoggedEvent[capacity];
        this.frames = new byte[capacity][];
        this.encoder = encoder;
        this.floor = head;
        this.head = head;
    }

    synchronized long head() {
        return head;
    }

    /** Appends events read from the log after {@link #head()}, in position order. */
    synchronized void append(List<LoggedEvent> events) {
        for (LoggedEvent e : events) {
            if (e.position() <= head) {
                continue;
            }
            if (size == buffer.length) {
                floor = buffer[start].position();
                buffer[start] = null;
                frames[start] = null;
                start = (start + 1) % buffer.length;
                size--;
            }
            buffer[(start + size) % buffer.length] = e;
            frames[(start + size) % buffer.length] = encoder.apply(e);
            size++;
            head = e.position();
        }
    }

    /** Records that the log's head is at {@code position} with nothing more to append (a commit without events for us). */
    synchronized void advanceTo(long position) {
        if (position > head) {
            if (size == 0) {
                floor = position;
            }
            head = position;
        }
    }

    /** Forgets every event and follows on from {@code position} (nobody was listening: nothing was read). */
    synchronized void reset(long position) {
        java.util.Arrays.fill(buffer, null);
        java.util.Arrays.fill(frames, null);
        start = 0;
        size = 0;
        floor = Math.max(floor, position);
        head = Math.max(head, position);
    }

    /**
     * Up to {@code max} events after {@code after} that pass the filters (null: any), or null when
     * the ring no longer holds everything after that position (the reader must use the log).
     */
    synchronized Page after(long after, int max, String sourceId, String type) {
        if (after < floor) {
            return null;
        }
        List<byte[]> out = new ArrayList<>();
        int i = firstAfter(after);
        long covered = Math.max(after, head);
        for (; i < size; i++) {
            LoggedEvent e = buffer[(start + i) % buffer.length];
            if ((sourceId == null || sourceId.equals(e.sourceId())) && (type == null || type.equals(e.type()))) {
                out.add(frames[(start + i) % buffer.length]);
                if (out.size() == max) {
                    covered = e.position();
                    break;
                }
            }
        }
        return new Page(out, covered);
    }

    private int firstAfter(long after) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (buffer[(start + mid) % buffer.length].position() <= after) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
