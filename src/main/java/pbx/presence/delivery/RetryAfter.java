package pbx.presence.delivery;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses an HTTP {@code Retry-After} header value (RFC 9110 section 10.2.3) into how long to wait.
 *
 * <p>Accepted: delta-seconds ({@code "120"}), and an HTTP-date in any of the three forms RFC 9110
 * section 5.6.7 obliges recipients to accept: IMF-fixdate ({@code "Sun, 06 Nov 1994 08:49:37 GMT"}),
 * the obsolete RFC 850 form ({@code "Sunday, 06-Nov-94 08:49:37 GMT"}, two-digit years more than 50
 * years ahead are taken as the past century) and asctime ({@code "Sun Nov  6 08:49:37 1994"}). The
 * weekday is not cross-checked. Parsing is lenient about case and surrounding whitespace.
 *
 * <p>Results: null, blank or unparseable input gives an empty Optional (the caller uses its own
 * backoff); negative delays and dates in the past give {@link Duration#ZERO}; anything longer than
 * {@code max} gives {@code max}.
 */
public final class RetryAfter {

    private static final Pattern DELTA = Pattern.compile("-?[0-9]+");
    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "(?:[a-z]{3,9},?\\s+)?([0-9]{1,2})\\s+([a-z]{3})\\s+([0-9]{4})\\s+([0-9]{1,2}):([0-9]{2}):([0-9]{2})"
                    + "(?:\\s+(gmt|utc|ut|z|[+-][0-9]{4}))?");
    private static final Pattern RFC_850 = Pattern.compile(
            "(?:[a-z]{3,9},?\\s+)?([0-9]{1,2})-([a-z]{3})-([0-9]{2})\\s+([0-9]{1,2}):([0-9]{2}):([0-9]{2})"
                    + "(?:\\s+(gmt|utc|ut|z))?");
    private static final Pattern ASCTIME = Pattern.compile(
            "(?:[a-z]{3}\\s+)?([a-z]{3})\\s+([0-9]{1,2})\\s+([0-9]{1,2}):([0-9]{2}):([0-9]{2})\\s+([0-9]{4})");
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4),
            Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8),
            Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));

    private RetryAfter() {
    }

    /**
     * @param value the header value, may be null
     * @param now the reference time (the response's arrival, or the clock's now)
     * @param max the longest delay to honour; longer values are capped to it
     * @return the delay, between zero and {@code max}; empty when the value is missing or unparseable
     */
    public static Optional<Duration> parse(String value, Instant now, Duration max) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(max, "max");
        if (max.isNegative()) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (DELTA.matcher(v).matches()) {
            if (v.startsWith("-")) {
                return Optional.of(Duration.ZERO);
            }
            // more than 18 digits would overflow a long: that many seconds is beyond any sane max anyway
            String digits = v.replaceFirst("^0+(?=.)", "");
            if (digits.length() > 18) {
                return Optional.of(max);
            }
            return Optional.of(clamp(Duration.ofSeconds(Long.parseLong(digits)), max));
        }
        Instant at = httpDate(v, now);
        if (at == null) {
            return Optional.empty();
        }
        return Optional.of(clamp(Duration.between(now, at), max));
    }

    /** The HTTP-date as an instant, or null when the value is not one. {@code v} is trimmed and lower case. */
    private static Instant httpDate(String v, Instant now) {
        try {
            Matcher m = IMF_FIXDATE.matcher(v);
            if (m.matches()) {
                Instant local = instant(Integer.parseInt(m.group(3)), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6));
                return local == null ? null : local.minusSeconds(offsetSeconds(m.group(7)));
            }
            m = RFC_850.matcher(v);
            if (m.matches()) {
                int year = fullYear(Integer.parseInt(m.group(3)), now);
                return instant(year, m.group(2), m.group(1), m.group(4), m.group(5), m.group(6));
            }
            m = ASCTIME.matcher(v);
            if (m.matches()) {
                return instant(Integer.parseInt(m.group(6)), m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
            }
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static Instant instant(int year, String month, String day, String hour, String minute, String second) {
        Integer mon = MONTHS.get(month);
        if (mon == null) {
            return null;
        }
        int sec = Integer.parseInt(second);
        if (sec == 60) {
            sec = 59; // a leap second: close enough for a retry delay
        }
        return LocalDateTime.of(year, mon, Integer.parseInt(day), Integer.parseInt(hour), Integer.parseInt(minute), sec)
                .toInstant(ZoneOffset.UTC);
    }

    private static long offsetSeconds(String zone) {
        if (zone == null || !(zone.startsWith("+") || zone.startsWith("-"))) {
            return 0;
        }
        int hh = Integer.parseInt(zone.substring(1, 3));
        int mm = Integer.parseInt(zone.substring(3, 5));
        if (hh > 23 || mm > 59) {
            throw new DateTimeException("bad offset");
        }
        long seconds = hh * 3600L + mm * 60L;
        return zone.startsWith("-") ? -seconds : seconds;
    }

    /** RFC 9110: a two-digit year more than 50 years in the future means the most recent past such year. */
    private static int fullYear(int twoDigits, Instant now) {
        int nowYear = LocalDateTime.ofInstant(now, ZoneOffset.UTC).getYear();
        int year = nowYear - Math.floorMod(nowYear, 100) + twoDigits;
        if (year > nowYear + 50) {
            year -= 100;
        }
        return year;
    }

    private static Duration clamp(Duration d, Duration max) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
