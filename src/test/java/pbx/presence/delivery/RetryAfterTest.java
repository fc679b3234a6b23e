package pbx.presence.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetryAfterTest {

    /** 37 seconds before the RFC 9110 example date "Sun, 06 Nov 1994 08:49:37 GMT". */
    private static final Instant NOW_1994 = Instant.parse("1994-11-06T08:49:00Z");
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:00Z");
    private static final Duration MAX = Duration.ofMinutes(10);

    private static Optional<Duration> parse(String value, Instant now) {
        return RetryAfter.parse(value, now, MAX);
    }

    private static Optional<Duration> seconds(long s) {
        return Optional.of(Duration.ofSeconds(s));
    }

    @Test
    void deltaSeconds() {
        assertEquals(seconds(120), parse("120", NOW));
        assertEquals(seconds(120), parse("  120\t", NOW));
        assertEquals(seconds(0), parse("0", NOW));
        assertEquals(seconds(7), parse("007", NOW));
    }

    @Test
    void negativeIsZero() {
        assertEquals(Optional.of(Duration.ZERO), parse("-5", NOW));
    }

    @Test
    void cappedAtMax() {
        assertEquals(Optional.of(MAX), parse("3600", NOW));
        assertEquals(Optional.of(MAX), parse("600", NOW));
        assertEquals(Optional.of(MAX), parse("99999999999999999999999999", NOW));
        assertEquals(Optional.of(MAX), parse("Thu, 01 Jan 2099 00:00:00 GMT", NOW));
        assertEquals(seconds(5), RetryAfter.parse("3600", NOW, Duration.ofSeconds(5)));
        assertEquals(Optional.of(Duration.ZERO), RetryAfter.parse("3600", NOW, Duration.ZERO));
    }

    @Test
    void imfFixdate() {
        assertEquals(seconds(37), parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW_1994));
        assertEquals(seconds(90), parse("Sun, 22 Nov 2026 10:16:30 GMT", NOW));
        // case-insensitive, and the weekday is not cross-checked
        assertEquals(seconds(37), parse("sun, 06 NOV 1994 08:49:37 gmt", NOW_1994));
        assertEquals(seconds(37), parse("Mon, 06 Nov 1994 08:49:37 GMT", NOW_1994));
        // tolerated: a numeric offset instead of GMT
        assertEquals(seconds(37), parse("Sun, 06 Nov 1994 09:49:37 +0100", NOW_1994));
    }

    @Test
    void obsoleteRfc850Date() {
        assertEquals(seconds(37), parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW_1994));
        // two-digit years: 26 is this century, 94 in 2026 is more than 50 years ahead, so 1994: the past
        assertEquals(seconds(90), parse("Sunday, 22-Nov-26 10:16:30 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW));
    }

    @Test
    void asctimeDate() {
        assertEquals(seconds(37), parse("Sun Nov  6 08:49:37 1994", NOW_1994));
        assertEquals(seconds(37), parse("Sun Nov 06 08:49:37 1994", NOW_1994));
    }

    @Test
    void dateInThePastIsZero() {
        assertEquals(Optional.of(Duration.ZERO), parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW));
        assertEquals(Optional.of(Duration.ZERO), parse("Sun, 22 Nov 2026 10:15:00 GMT", NOW));
    }

    @Test
    void missingOrGarbageIsEmpty() {
        for (String v : new String[] {null, "", "   ", "soon", "1.5", "+5", "5s", "0x10",
                "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                "Sun, 06 Nov 1994 08:49:37 GMT garbage", "2026-11-22T10:16:30Z", "Sunday, 06-Nov-1994 08:49:37 GMT"}) {
            assertEquals(Optional.empty(), parse(v, NOW), String.valueOf(v));
        }
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(NullPointerException.class, () -> RetryAfter.parse("1", null, MAX));
        assertThrows(NullPointerException.class, () -> RetryAfter.parse("1", NOW, null));
        assertThrows(IllegalArgumentException.class, () -> RetryAfter.parse("1", NOW, Duration.ofSeconds(-1)));
    }
}
