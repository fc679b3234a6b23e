package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ThreeCxPropertiesTest {

    private static String value(String property) {
        Map.Entry<String, String> e = ThreeCxProperties.parse(property);
        return e == null ? null : e.getValue();
    }

    @Test
    void readsTheSeedsShapes() {
        assertEquals("4", value("CHATSTATUS=4(String) [0-Online, 1-Away, 2-Do Not Disturb, 3-Invisible, 4-Offline]"));
        assertEquals("", value("MOBILENUMBER=(String) [The mobile number specified for extension]"));
        assertEquals("", value("LOGGED_IN_QUEUES=(String) []"));
        assertEquals("4", value("EXT_MC_ACCESS_TYPE=4(String) []"));
        assertEquals("<PhoneDevice><BLFS /></PhoneDevice>", value(
                "SHARED_BLFS=<PhoneDevice><BLFS /></PhoneDevice>(String) [Shared BLFs for this extension (used for all phones belong to this extension)]"));
        assertEquals("0", value("STARTUPSCREEN=0(String) [Default startup (0 -Dial Pad  1 - Presence)]"));
        assertEquals("0", value("PHONESYSUSER_ACCESS=0(String) [Management Console Access 0=unchecked 1=checked]"));
        assertEquals("0", value("USETUNNEL=0(String) [Enables Tunnel Connection ]"));
    }

    @Test
    void keyEndsAtTheFirstEqualsAndValueAtTheLastTypeMarker() {
        Map.Entry<String, String> e = ThreeCxProperties.parse("SERVICES_ACCESS_PASSWORD=Zq8=Lm2(x)(String) []");
        assertEquals("SERVICES_ACCESS_PASSWORD", e.getKey());
        assertEquals("Zq8=Lm2(x)", e.getValue());
        assertEquals("a(String)b", value("K=a(String)b(String) [d]"));
        assertEquals("800,801", value("LOGGED_IN_QUEUES=800,801(String)"));
        assertEquals("7", value("N=7(Int32) [a number]"));
    }

    @Test
    void toleratesMissingTypeMarkerAndDescription() {
        assertEquals("0", value("CHATSTATUS=0"));
        assertEquals("1", value("CHATSTATUS=1 [0-Online, 1-Away]"));
        assertEquals("", value("CHATSTATUS="));
        assertNull(ThreeCxProperties.parse("no equals sign here"));
        assertNull(ThreeCxProperties.parse("=value without key"));
        assertNull(ThreeCxProperties.parse(null));
    }

    @Test
    void readsArraysOfStringsOrObjectsAndPlainObjectsIgnoringKeyCase() throws Exception {
        JsonNode strings = Json.MAPPER.readTree("[\"CHATSTATUS=2(String) [x]\", 17, null, \"junk\"]");
        assertEquals("2", ThreeCxProperties.read(strings).get("chatstatus"));
        JsonNode objects = Json.MAPPER.readTree("[{\"Name\":\"CHATSTATUS\",\"Value\":3}]");
        assertEquals("3", ThreeCxProperties.read(objects).get("CHATSTATUS"));
        JsonNode plain = Json.MAPPER.readTree("{\"CHATSTATUS\":\"1\",\"LOGGED_IN_QUEUES\":null}");
        Map<String, String> m = ThreeCxProperties.read(plain);
        assertEquals("1", m.get("CHATSTATUS"));
        assertEquals("", m.get("LOGGED_IN_QUEUES"));
        assertEquals(Map.of(), ThreeCxProperties.read(null));
        assertEquals(Map.of(), ThreeCxProperties.read(Json.MAPPER.readTree("\"CHATSTATUS=0\"")));
    }

    /**
     * The hand-written matching gives what the two patterns give, on the seed's shapes and on many random
     * strings built from the characters that matter to them.
     */
    @Test
    void handWrittenMatchingAgreesWithThePatterns() {
        java.util.List<String> samples = new java.util.ArrayList<>(java.util.List.of("0(String) [0-Online, 1-Away]",
                "(String) []", "<PhoneDevice><BLFS /></PhoneDevice>(String) [Shared (used)]", "a(String)b(String) [d]",
                "800,801(String)", "1 [0-Online, 1-Away]", "", " [x]", "[x]", "a (b) ", "a\t[b]\n", "x(S) [a [b] c]", "()"));
        java.util.Random r = new java.util.Random(13);
        String alphabet = "ab_9 \t\n\u000B\f\r()[]=,;é";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(12); k > 0; k--) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            samples.add(b.toString());
        }
        for (String rest : samples) {
            java.util.regex.Matcher typed = ThreeCxProperties.TYPED.matcher(rest);
            assertEquals(typed.matches() ? typed.end(1) : -1, ThreeCxProperties.typeMarker(rest), "typed: '" + rest + "'");
            java.util.regex.Matcher described = ThreeCxProperties.DESCRIBED.matcher(rest);
            assertEquals(described.matches() ? described.end(1) : -1, ThreeCxProperties.description(rest), "described: '" + rest + "'");
        }
    }
}
