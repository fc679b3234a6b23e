package pbx.presence.store;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows deflate and inflate back exactly; a damaged or truncated row fails alone and leaves the thread's zlib state fit for the next row. */
class DeflatedTest {

    private static final String EVENT = "{\"specversion\":\"1.0\",\"id\":\"hq:201:7\",\"source\":\"/pbx-presence/sources/hq\","
            + "\"type\":\"pbx.presence.changed\",\"subject\":\"201\",\"data\":{\"after\":{\"name\":\"Jürgen ☎\"}}}";

    @Test
    void aDamagedRowFailsAloneAndTheNextRowsReadBack() {
        byte[] row = Deflated.of(EVENT);
        assertTrue(row.length < EVENT.length(), "compressed");
        assertEquals(EVENT, Deflated.text(row));

        byte[] truncated = Arrays.copyOf(row, row.length / 2);
        assertThrows(IllegalArgumentException.class, () -> Deflated.text(truncated));
        assertThrows(IllegalArgumentException.class, () -> Deflated.text(new byte[] {0x0b, (byte) 0xad, (byte) 0xc0, (byte) 0xde}));

        String other = EVENT.replace("hq:201:7", "hq:202:1");
        assertEquals(other, Deflated.text(Deflated.of(other)), "the same thread's deflater and inflater work on after a failure");
        assertEquals(EVENT, Deflated.text(row));
    }
}
