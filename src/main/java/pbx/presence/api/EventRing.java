package pbx.presence.api;

import pbx.presence.change.PresenceLog.LoggedEvent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The newest events of the log in their wire form, kept once in memory for every live stream
 * client and bounded in bytes (oldest dropped first), so 200 clients following the head cost one
 * log read and one encoding per event rather than 200, and each client is sent the very same bytes
 * (no copy per client). The ring is only a cache: the log is the record, and a client further
 * behind than the ring reads the log itself ({@link #after} answers null), so its size trades
 * memory for log reads, never events. Events every connected client has been handed are dropped
 * too ({@link #dropUpTo}): the bound is only reached while some client lags.
 */
final class EventRing {

    /** Events after a position, in wire form: {@code coveredUpTo} is the position the reader has now seen everything up to. */
    record Page(List<byte[]> frames, long coveredUpTo) {
    }

    /** One event as the ring keeps it: what the stream's filters look at, and its encoded frame. */
    private record Entry(long position, String sourceId, String type, byte[] frame) {
    }

    private final long maxBytes;
    private final Function<LoggedEvent, byte[]> encoder;
    private Entry[] entries = new Entry[256];
    private int start;
    private int size;
    private long bytes;
    /** Every event with a position greater than floor and at most head is in the ring. */
    private long floor;
    private long head;

    EventRing(long maxBytes, long head, Function<LoggedEvent, byte[]> encoder) {
        this.maxBytes = maxBytes;
        this.encoder = encoder;
        this.floor = head;
        this.head = head;
    }

    synchronized long head() {
        return head;
    }

    /** Bytes of encoded frames the ring holds now (at most the bound, or one larger event). */
    synchronized long bytes() {
        return bytes;
    }

    /** Appends events read from the log after {@link #head()}, in position order, dropping the oldest beyond the bound. */
    synchronized void append(List<LoggedEvent> events) {
        for (LoggedEvent e : events) {
            if (e.position() <= head) {
                continue;
            }
            byte[] frame = encoder.apply(e);
            while (size > 0 && bytes + frame.length > maxBytes) {
                dropOldest();
            }
            if (size == entries.length) {
                grow();
            }
            entries[(start + size) % entries.length] = new Entry(e.position(), e.sourceId(), e.type().intern(), frame);
            size++;
            bytes += frame.length;
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

    /**
     * Drops the events at or before {@code position}, the position every connected client has been
     * handed (their connections hold what they still have to send), so a ring whose clients keep up
     * holds only the newest commit rather than its whole bound.
     */
    synchronized void dropUpTo(long position) {
        while (size > 0 && entries[start].position() <= position) {
            dropOldest();
        }
        if (size == 0) {
            // every event up to head was in the ring and none is left: nothing lies between floor and head
            floor = head;
        }
    }

    /** Forgets every event and follows on from {@code position} (nobody was listening: nothing was read). */
    synchronized void reset(long position) {
        Arrays.fill(entries, null);
        start = 0;
        size = 0;
        bytes = 0;
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
        List<byte[]> out = new ArrayList<>(Math.min(max, size));
        long covered = Math.max(after, head);
        for (int i = firstAfter(after); i < size; i++) {
            Entry e = entries[(start + i) % entries.length];
            if ((sourceId == null || sourceId.equals(e.sourceId())) && (type == null || type.equals(e.type()))) {
                out.add(e.frame());
                if (out.size() == max) {
                    covered = e.position();
                    break;
                }
            }
        }
        return new Page(out, covered);
    }

    private void dropOldest() {
        Entry oldest = entries[start];
        floor = oldest.position();
        bytes -= oldest.frame().length;
        entries[start] = null;
        start = (start + 1) % entries.length;
        size--;
    }

    private void grow() {
        Entry[] bigger = new Entry[entries.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = entries[(start + i) % entries.length];
        }
        entries = bigger;
        start = 0;
    }

    private int firstAfter(long after) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries[(start + mid) % entries.length].position() <= after) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
