package pbx.presence.connector;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The fast reading of plain UTC timestamps gives what OffsetDateTime.parse gives, for every input. */
class Rfc3339Test {

    @Test
    void plainUtcIsTheInstantItNames() {
        assertEquals(Instant.parse("2011-02-10T15:10:55Z"), Rfc3339.instant("2011-02-10T15:10:55Z"));
        assertEquals(Instant.parse("2024-02-29T23:59:59Z"), Rfc3339.instant("2024-02-29T23:59:59Z"));
        assertEquals(Instant.parse("1969-12-31T00:00:00Z"), Rfc3339.instant("1969-12-31T00:00:00Z"));
    }

    @Test
    void otherFormsAreReadAsOffsetDateTimeReadsThem() {
        List<String> inputs = List.of("2011-02-10T15:10:55Z", "2011-02-10T16:10:55+01:00", "2011-02-10T15:10:55.250Z",
                "2011-02-10t15:10:55z", "2011-02-10T15:10Z", "2023-02-29T10:00:00Z", "2011-13-10T15:10:55Z",
                "2011-02-10T24:00:00Z", "2011-02-10T23:59:60Z", "2011-02-10T15:61:00Z", "0000-01-01T00:00:00Z",
                "2011-02-10 15:10:55Z", "2011-02-10T15:10:55", "+2011-02-10T15:10:55Z", "20110210T151055Z",
                "2011-0a-10T15:10:55Z", "next tuesday", "2011-02-10T15:10:55-00:00");
        for (String t : inputs) {
            assertEquals(reference(t), Rfc3339.instant(t), t);
        }
    }

    @Test
    void nothingIsNull() {
        assertNull(Rfc3339.instant(null));
        assertNull(Rfc3339.instant(""));
    }

    private static Instant reference(String t) {
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
