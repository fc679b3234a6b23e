package pbx.presence.connector.voipnow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbx.presence.LogCapture;
import pbx.presence.model.Availability;
import pbx.presence.model.Device;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Reason;
import pbx.presence.model.Registration;
import pbx.presence.connector.PayloadException;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 001's shapes (fixtures in src/test/resources/vendors/voipnow/, see its README). */
class VoipNowTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:03Z");
    private final VoipNowTranslator translator = new VoipNowTranslator("vn-test");

    private List<ExtensionPresence> translate(String... files) {
        return translator.translate(VoipNowFixtures.payload(files), NOW);
    }

    private static ExtensionPresence ext(List<ExtensionPresence> list, String extension) {
        return list.stream().filter(p -> p.extension().equals(extension)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + extension + " in " + list));
    }

    @Test
    void seedExampleIsAnUnregisteredPhone() {
        List<ExtensionPresence> list = translate("seed-001-example.json");
        assertEquals(1, list.size());
        ExtensionPresence p = list.get(0);
        assertEquals("vn-test", p.source());
        assertEquals("voipnow", p.vendor());
        assertEquals("0003*210", p.extension());
        assertEquals(NOW, p.observedAt());
        assertEquals(LineState.UNKNOWN, p.line(), "status 0 is unknown");
        assertEquals(Registration.NOT_REGISTERED, p.registration(), "registration \"-1\" (a string) is not registered");
        assertEquals(List.of(new Device(null, "3CXPhone 5.0.14439.0", false, null, Instant.parse("2011-02-10T15:10:55Z"))), p.devices());
        assertEquals(Availability.OFFLINE, p.availability());
        assertEquals(List.of(Reason.NOT_REGISTERED), p.reasons());
        assertFalse(p.acceptsCalls());
        assertEquals(Presence.UNKNOWN, p.presence(), "the presence API carries no user-chosen status");
        assertTrue(p.enabled());
        assertNull(p.dnd());
        // raw values exactly as sent: the number stays a number, the string a string
        assertEquals(0, p.vendorStatus().get("status"));
        assertEquals(List.of(Map.of("registration", "-1", "expire", "2011-02-10T15:10:55Z", "agent", "3CXPhone 5.0.14439.0")),
                p.vendorStatus().get("registration"));
    }

    @Test
    void numbersAsNumbersAndAsStringsTranslateAlike() {
        ExtensionPresence numbers = translate("all-numbers.json").get(0);
        ExtensionPresence strings = translate("all-strings.json").get(0);
        ExtensionPresence seed = translate("seed-001-example.json").get(0);
        for (ExtensionPresence p : List.of(numbers, strings)) {
            assertEquals(seed.line(), p.line());
            assertEquals(seed.registration(), p.registration());
            assertEquals(seed.devices(), p.devices());
            assertEquals(seed.availability(), p.availability());
            assertEquals(seed.reasons(), p.reasons());
        }
        assertEquals(-1, ((Map<?, ?>) ((List<?>) numbers.vendorStatus().get("registration")).get(0)).get("registration"));
        assertEquals("0", strings.vendorStatus().get("status"));
    }

    @Test
    void anUndocumentedStatusCodeOnARegisteredPhoneIsNeitherAvailableNorAcceptingCalls() {
        byte[] body = ("{\"startIndex\":0,\"totalResults\":1,\"itemsPerPage\":1,\"entry\":[{\"extension\":\"0003*201\","
                + "\"status\":7,\"registration\":[{\"registration\":\"1\",\"agent\":\"Yealink\"}]}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ExtensionPresence p = new VoipNowTranslator("vn-status-7").translate(VoipNowPayload.ofBodies(body), Instant.EPOCH).get(0);
        assertEquals(Registration.REGISTERED, p.registration());
        assertEquals(LineState.UNKNOWN, p.line());
        assertEquals(7, p.vendorStatus().get("status"));
        assertEquals(java.util.Set.of(pbx.presence.model.Dimension.LINE), p.unrecognised());
        assertEquals(Availability.AWAY, p.availability(), "issue 8 item 13: it was AVAILABLE");
        assertEquals(List.of(Reason.UNRECOGNISED_VENDOR_VALUE), p.reasons());
        assertFalse(p.acceptsCalls(), "the status code is what says whether the line is free");
    }

    @ParameterizedTest(name = "{0}: status {1}, registration {2} → {3} {4}")
    @CsvSource({
            "0003*201, IDLE,    REGISTERED,     AVAILABLE, '',             true",
            "0003*202, RINGING, REGISTERED,     BUSY,      RINGING,        false",
            "0003*203, BUSY,    REGISTERED,     BUSY,      ON_CALL,        false",
            "0003*204, IDLE,    NOT_REQUIRED,   AVAILABLE, '',             true",
            "0003*205, UNKNOWN, EXPIRED,        OFFLINE,   NOT_REGISTERED, false",
            "0003*206, UNKNOWN, UNKNOWN,        UNKNOWN,   NO_DATA,        false",
            "0003*207, UNKNOWN, UNKNOWN,        AWAY,      UNRECOGNISED_VENDOR_VALUE, false",
            "0003*208, IDLE,    REGISTERED,     AVAILABLE, '',             true",
            "0003*209, IDLE,    UNKNOWN,        AVAILABLE, '',             false",
            "0003*210, IDLE,    REGISTERED,     AVAILABLE, '',             true",
            "0003*211, UNKNOWN, UNKNOWN,        UNKNOWN,   NO_DATA,        false",
    })
    void eachDocumentedCaseMapsAsVendorsMdSays(String extension, LineState line, Registration registration,
                                                Availability availability, String reasons, boolean acceptsCalls) {
        ExtensionPresence p = ext(translate("several.json"), extension);
        assertEquals(line, p.line(), "line");
        assertEquals(registration, p.registration(), "registration");
        assertEquals(availability, p.availability(), "availability");
        assertEquals(reasons.isEmpty() ? List.of() : List.of(Reason.valueOf(reasons)), p.reasons(), "reasons");
        assertEquals(acceptsCalls, p.acceptsCalls(), "acceptsCalls");
    }

    @Test
    void devicesCarryAgentExpiryAndOnlineState() {
        List<ExtensionPresence> list = translate("several.json");
        assertEquals(11, list.size());
        assertEquals(List.of(new Device(null, "Yealink SIP-T46S 66.86.0.15", true, null, Instant.parse("2026-11-22T12:00:00Z"))),
                ext(list, "0003*201").devices());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z"), ext(list, "0003*203").devices().get(0).expiresAt(), "offset honoured");
        assertEquals(List.of(new Device(null, "Grandstream HT802", null, null, null)), ext(list, "0003*204").devices(),
                "no registration necessary: online not known, no expiry");
        assertEquals(List.of(false, true), ext(list, "0003*208").devices().stream().map(Device::online).toList());
        assertEquals(List.of(), ext(list, "0003*206").devices(), "registration 0 says nothing about a device");
        assertEquals(List.of(), ext(list, "0003*211").devices());
        assertEquals("Single object", ext(list, "0003*210").devices().get(0).userAgent());
        // registration[].status, whose meaning the seed does not give, is kept raw
        assertEquals(Map.of("registration", "1", "status", "1", "expire", "2026-11-22T12:00:00Z", "agent", "Yealink SIP-T46S 66.86.0.15"),
                ((List<?>) ext(list, "0003*201").vendorStatus().get("registration")).get(0));
        assertFalse(ext(list, "0003*211").vendorStatus().containsKey("status"), "status null is not kept");
        assertEquals(List.of(), ext(list, "0003*211").vendorStatus().get("registration"));
        assertFalse(ext(list, "0003*209").vendorStatus().containsKey("registration"));
    }

    @Test
    void undocumentedValuesAreUnknownKeptRawAndReportedOnce() {
        try (LogCapture logs = LogCapture.open()) {
            VoipNowTranslator t = new VoipNowTranslator("vn-undocumented");
            ExtensionPresence p = ext(t.translate(VoipNowFixtures.payload("several.json"), NOW), "0003*207");
            t.translate(VoipNowFixtures.payload("several.json"), NOW);
            assertEquals(7, p.vendorStatus().get("status"));
            assertEquals(Map.of("registration", "5", "expire", "soon", "agent", "Odd Phone"),
                    ((List<?>) p.vendorStatus().get("registration")).get(0));
            List<String> warnings = logs.lines(org.apache.logging.log4j.Level.WARN).stream()
                    .filter(l -> l.contains("vn-undocumented")).toList();
            assertEquals(2, warnings.size(), "one WARN per undocumented value, not per poll: " + warnings);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("status value '7'")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("registration value '5'")), warnings.toString());
        }
    }

    @Test
    void pagesJoinInOrder() {
        List<ExtensionPresence> list = translate("page-1-of-2.json", "page-2-of-2.json");
        assertEquals(List.of("0003*201", "0003*202", "0003*203"), list.stream().map(ExtensionPresence::extension).toList());
    }

    @Test
    void anExtensionOnTwoPagesIsAPayloadError() {
        PayloadException e = assertThrows(PayloadException.class, () -> translate("page-1-of-2.json", "page-2-repeats.json"));
        assertTrue(e.getMessage().contains("0003*202 occurs twice, in page 1 entry[1] and in page 2 entry[0]"), e.getMessage());
    }

    @Test
    void entryAsASingleObjectIsOneEntry() {
        List<ExtensionPresence> list = translate("single-entry-object.json");
        assertEquals(1, list.size());
        assertEquals(Availability.AVAILABLE, list.get(0).availability());
    }

    @Test
    void noContentIsAnEmptySnapshot() {
        assertEquals(List.of(), translator.translate(new VoipNowPayload(List.of(VoipNowPage.noContent("GET /x"))), NOW));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "truncated.json              | page 1): truncated JSON",
            "not-json.html               | page 1): malformed JSON (line 1, column 1): Unexpected character",
            "top-level-array.json        | top level is an array, expected a collection object",
            "entry-not-array.json        | entry is a string '0003*210', expected an array of presence objects",
            "entry-element-string.json   | entry[1] is a string '0003*211', expected a presence object",
            "total-not-a-number.json     | totalResults is a string 'many', expected a whole number",
            "not-a-collection.json       | neither entry nor totalResults: not a presence collection",
            "error-in-200.json           | VoipNow error in a 2xx answer: extension_invalid: Value supplied in the URI-Fragment",
            "entry-without-extension.json| page 1 entry[1]): no extension",
            "registration-string.json    | registration is a string '-1', expected an array of {registration, status, expire, agent}",
    })
    void malformedBodiesAreNamedPayloadErrors(String file, String expected) {
        PayloadException e = assertThrows(PayloadException.class, () -> translate(file));
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("VoipNow presence"), e.getMessage());
    }

    @Test
    void emptyBodyWith200IsAPayloadError() {
        PayloadException e = assertThrows(PayloadException.class, () -> VoipNowPage.parse(new byte[0], "GET /uapi/x"));
        assertTrue(e.getMessage().contains("GET /uapi/x): empty body, expected a collection object with HTTP 200"), e.getMessage());
    }
}
