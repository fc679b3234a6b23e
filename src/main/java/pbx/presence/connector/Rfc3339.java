package pbx.presence.connector;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 / ISO 8601 timestamps with an offset ({@code 2011-02-10T15:10:55Z},
 * {@code 2011-02-10T16:10:55.5+01:00}), read exactly as {@link OffsetDateTime#parse} reads them.
 *
 * <p>Why not just {@code OffsetDateTime.parse}: a poll of 100,000 VoipNow extensions parses one
 * registration expiry per device, and the formatter's general machinery was a quarter of such a poll
 * (issue 13). Almost every PBX writes the one plain UTC form {@code yyyy-MM-ddTHH:mm:ssZ}; that form
 * is read here by position, anything else (fractions, offsets, lower case, out-of-range fields) goes
 * to {@code OffsetDateTime.parse}, so the answer is the same for every input.
 */
public final class Rfc3339 {

    private Rfc3339() {
    }

    /** The instant, or null when the text is null, empty or not an offset date-time. */
    public static Instant instant(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Instant fast = plainUtc(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code yyyy-MM-ddTHH:mm:ssZ} with every field in range; null for anything else. */
    private static Instant plainUtc(String t) {
        if (t.length() != 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay(); // checks month and day (Feb 30 is not a date)
            return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The ASCII digits at {@code from}, {@code count} of them, as a number; -1 when one is not a digit. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
