package pbx.presence.api;

import org.junit.jupiter.api.Test;
import pbx.presence.change.PresenceLog.LoggedEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The stream's shared ring: bounded in bytes, and it says "read the log" rather than answer a position it no longer covers. */
class EventRingTest {

    private static LoggedEvent event(long position, String source) {
        return new LoggedEvent(position, source, "201", position, "pbx.presence.changed", Instant.EPOCH, "{\"p\":" + position + "}");
    }

    private static List<LoggedEvent> events(long from, long to) {
        List<LoggedEvent> out = new ArrayList<>();
        for (long p = from; p <= to; p++) {
            out.add(event(p, p % 2 == 0 ? "even" : "odd"));
        }
        return out;
    }

    private static List<String> text(EventRing.Page page) {
        return page.frames().stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void itKeepsNoMoreBytesThanItsBoundAndRefusesPositionsItDroppedSoTheReaderUsesTheLog() {
        // frames of positions 1001 to 2000 are all the same length: room for exactly 20 of them
        int frame = EventStream.frame(event(2000, "even")).length;
        EventRing ring = new EventRing(20L * frame, 1000, EventStream::frame);
        ring.append(events(1001, 2000));
        assertEquals(20L * frame, ring.bytes());
        assertEquals(2000, ring.head());
        assertNull(ring.after(1000, 10, null, null), "position 1000 is older than the ring: the caller must read the log");
        assertNull(ring.after(1979, 10, null, null));
        EventRing.Page page = ring.after(1980, 100, null, null);
        assertEquals(20, page.frames().size());
        assertEquals(new String(EventStream.frame(event(1981, "odd")), StandardCharsets.UTF_8), text(page).get(0));
        assertEquals(2000, page.coveredUpTo());
    }

    @Test
    void pagesStopAtTheLimitAndFiltersCoverThePositionsTheySkip() {
        EventRing ring = new EventRing(1 << 20, 10, EventStream::frame);
        ring.append(events(11, 30));
        EventRing.Page first = ring.after(10, 5, "even", null);
        assertEquals(List.of(12L, 14L, 16L, 18L, 20L), first.frames().stream()
                .map(f -> Long.parseLong(new String(f, StandardCharsets.UTF_8).lines().findFirst().orElseThrow().substring(4))).toList());
        assertEquals(20, first.coveredUpTo());
        EventRing.Page rest = ring.after(first.coveredUpTo(), 100, "even", null);
        assertEquals(5, rest.frames().size());
        assertEquals(30, rest.coveredUpTo(), "everything up to the head was looked at");
        ring.advanceTo(35);
        assertEquals(35, ring.after(30, 100, null, null).coveredUpTo(), "a commit with nothing for the stream still moves readers on");
    }

    @Test
    void eventsEveryClientWasHandedAreDroppedAndOlderPositionsGoToTheLog() {
        EventRing ring = new EventRing(1 << 20, 0, EventStream::frame);
        ring.append(events(1, 10));
        ring.dropUpTo(7);
        assertEquals(EventStream.frame(event(8, "even")).length + EventStream.frame(event(9, "odd")).length
                + EventStream.frame(event(10, "even")).length, ring.bytes());
        assertNull(ring.after(6, 10, null, null), "position 7 was dropped");
        assertEquals(3, ring.after(7, 10, null, null).frames().size());
        ring.dropUpTo(10);
        assertEquals(0, ring.bytes());
        assertEquals(0, ring.after(10, 10, null, null).frames().size(), "a reader at the head waits for more");
        ring.append(events(11, 12));
        assertEquals(2, ring.after(10, 10, null, null).frames().size());
    }

    @Test
    void everyReaderIsGivenTheSameEncodedBytesNotACopy() {
        EventRing ring = new EventRing(1 << 20, 0, EventStream::frame);
        ring.append(events(1, 3));
        assertSame(ring.after(0, 10, null, null).frames().get(2), ring.after(2, 10, null, null).frames().get(0));
    }
}
