package pbx.presence.connector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import pbx.presence.connector.telecomx.TelecomXTranslator;
import pbx.presence.connector.telphin.TelphinPayload;
import pbx.presence.connector.telphin.TelphinTranslator;
import pbx.presence.connector.threecx.ThreeCxCallControlTranslator;
import pbx.presence.connector.threecx.ThreeCxHttpPayload;
import pbx.presence.connector.threecx.ThreeCxHttpTranslator;
import pbx.presence.connector.threecx.ThreeCxProfileMapping;
import pbx.presence.connector.threecx.ThreeCxV20Payload;
import pbx.presence.connector.threecx.ThreeCxV20Translator;
import pbx.presence.connector.voipnow.VoipNowPayload;
import pbx.presence.connector.voipnow.VoipNowTranslator;
import pbx.presence.model.ExtensionPresence;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 item 11: an extension number that is not a plausible dial string (not finite, empty,
 * control characters, longer than 64) rejects the poll with a message naming the record, in every
 * vendor's translator; plausible numbers pass unchanged.
 */
class ExtensionNumbersTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String LONG = "1".repeat(65);

    /** One vendor: builds its payload around a JSON value for the extension number and translates it. */
    record Vendor(String name, Function<String, List<ExtensionPresence>> translate) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Vendor> vendors() {
        return Stream.of(
                new Vendor("3cx-callcontrol", n -> new ThreeCxCallControlTranslator("s", ThreeCxProfileMapping.defaults(), false)
                        .translate(utf8("[{\"Number\":" + n + ",\"IsRegistered\":true}]"), NOW)),
                new Vendor("3cx-v20", n -> new ThreeCxV20Translator("s", ThreeCxProfileMapping.defaults())
                        .translate(new ThreeCxV20Payload(List.of(utf8("{\"value\":[{\"Number\":" + n + "}]}")), utf8("[]")), NOW)),
                new Vendor("voipnow", n -> new VoipNowTranslator("s")
                        .translate(VoipNowPayload.ofBodies(utf8("{\"startIndex\":0,\"totalResults\":1,\"itemsPerPage\":1,"
                                + "\"entry\":[{\"extension\":" + n + ",\"status\":1}]}")), NOW)),
                new Vendor("telphin", n -> new TelphinTranslator("s").translate(TelphinPayload.fromBodies(utf8("[]"),
                        List.of(utf8("[{\"id\":1001,\"name\":" + (n.startsWith("\"") ? "\"0003*" + n.substring(1) : n)
                                + ",\"type\":\"phone\",\"status\":\"active\"}]")), Map.of(), null), NOW)),
                new Vendor("telecomx", n -> new TelecomXTranslator("s")
                        .extensionPages(List.of(utf8("{\"offset\":0,\"limit\":50,\"total\":1,\"extensions\":[{\"_id\":\"x\",\"number\":" + n + "}]}")), NOW)),
                new Vendor("3cx-http", n -> {
                    String ext = n.startsWith("\"") ? n.substring(1, n.length() - 1).replace("\\u0000", "\u0000").replace("\\n", "\n") : n;
                    return new ThreeCxHttpTranslator("s", ThreeCxProfileMapping.defaults())
                            .translate(new ThreeCxHttpPayload("", Map.of(ext, "CURRENT_STATUS=Available"), Map.of(ext, "error")), NOW);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void implausibleNumbersRejectThePollWithAClearMessage(Vendor vendor) {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("\"20\\u00001\"", "holds a control character (U+0000)");
        cases.put("\"20\\n1\"", "holds a control character (U+000A)");
        cases.put("\"" + LONG + "\"", "at most 64");
        if (!vendor.name().equals("3cx-http")) { // the text API's extensions come from configuration, never as JSON numbers
            cases.put("1e400", "not a finite number");
            cases.put("201.5", "not a whole number");
        } else {
            cases.put("\" \"", "(empty)");
        }
        cases.forEach((number, why) -> {
            PayloadException e = assertThrows(PayloadException.class, () -> vendor.translate().apply(number),
                    vendor + ": " + number + " must be rejected");
            assertTrue(e.getMessage().contains("is not a dial string") && e.getMessage().contains(why),
                    vendor + ": " + number + " gave '" + e.getMessage() + "'");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vendors")
    void plausibleNumbersPass(Vendor vendor) {
        assertEquals("201", vendor.translate().apply("\"201\"").get(0).extension());
        String longest = "9".repeat(64);
        assertEquals(longest, vendor.translate().apply("\"" + longest + "\"").get(0).extension());
    }

    @Test
    void wholeJsonNumbersBecomeTheirDigits() {
        Vendor callControl = vendors().findFirst().orElseThrow();
        assertEquals("201", callControl.translate().apply("201").get(0).extension());
        assertEquals("201", callControl.translate().apply("201.0").get(0).extension());
        assertEquals("201", callControl.translate().apply("2.01e2").get(0).extension());
    }

    @Test
    void theCheckItselfNamesThePlaceAndTheProblem() {
        assertEquals("3CX Call Control payload: element 0: extension number Infinity is not a dial string (not a finite number)",
                assertThrows(PayloadException.class, () -> ExtensionNumbers.read(
                        pbx.presence.model.Json.MAPPER.readTree("1e400"), "3CX Call Control payload: element 0")).getMessage());
        assertEquals("here: extension number '' is not a dial string (empty)",
                assertThrows(PayloadException.class, () -> ExtensionNumbers.check("", "here")).getMessage());
        assertEquals("0003*201#", ExtensionNumbers.check(" 0003*201# ", "here"));
    }
}
