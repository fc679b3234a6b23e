package pbx.presence.connector.telecomx;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.model.Dimension;
import pbx.presence.model.Availability;
import pbx.presence.model.Device;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Reason;
import pbx.presence.model.Registration;
import pbx.presence.connector.PayloadException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against fixtures built from seed 004 (see src/test/resources/vendors/telecomx/README.md). */
class TelecomXTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:03Z");
    private final TelecomXTranslator translator = new TelecomXTranslator("tx");

    private Map<String, ExtensionPresence> employees(TelecomXTranslator t, String file) {
        List<ExtensionPresence> out = t.translate(TelecomXPayload.employees(TelecomXFixtures.bytes(file)), NOW);
        return out.stream().collect(Collectors.toMap(ExtensionPresence::extension, Function.identity(), (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    private List<ExtensionPresence> pages(String... files) {
        return translator.translate(TelecomXPayload.extensionPages(
                java.util.Arrays.stream(files).map(TelecomXFixtures::bytes).toList()), NOW);
    }

    private static byte[] arrayOf(String file) {
        return ("[" + TelecomXFixtures.text(file) + "]").getBytes(StandardCharsets.UTF_8);
    }

    // ---- seed 004 ------------------------------------------------------------------------------

    @Test
    void seedExampleWithoutPhonesSaysOnlyWhatItKnows() {
        ExtensionPresence p = translator.translate(TelecomXPayload.extensionPages(List.of(arrayOf("seed-004-extension.json"))), NOW).get(0);
        assertEquals("592", p.extension());
        assertEquals("12345678901234567890ABCD", p.extensionId());
        assertEquals("Donald Duck", p.name());
        assertEquals("telecomx", p.vendor());
        assertEquals("tx", p.source());
        assertTrue(p.enabled());
        assertEquals(Boolean.TRUE, p.callWaiting());
        assertEquals(Presence.UNKNOWN, p.presence(), "an extension object carries no employee presence");
        assertNull(p.presenceAcceptsCalls());
        assertEquals(Registration.UNKNOWN, p.registration(), "phones were not included");
        assertNull(p.dnd());
        assertEquals(LineState.UNKNOWN, p.line());
        assertEquals(Availability.UNKNOWN, p.availability());
        assertEquals(List.of(Reason.NO_DATA), p.reasons());
        assertFalse(p.acceptsCalls());
        assertEquals(NOW, p.observedAt());
        assertEquals(Map.of("callWaiting", true), p.vendorStatus());
    }

    @Test
    void seedExampleWithPhonesIsRegisteredAndAnOfflinePhonesDndBlocksNothing() {
        ExtensionPresence p = translator.translate(TelecomXPayload.extensionPages(List.of(arrayOf("seed-004-with-phones.json"))), NOW).get(0);
        assertEquals(List.of(new Device("12345678901234567890EEE1", "SIP Yealink T46S", true, false, null),
                new Device("12345678901234567890EEE2", "MVNO", false, true, null)), p.devices());
        assertEquals(Registration.REGISTERED, p.registration());
        assertEquals(Boolean.FALSE, p.dnd(), "the MVNO phone's DND is left on while it is offline");
        assertEquals(Availability.AVAILABLE, p.availability());
        assertTrue(p.acceptsCalls());
    }

    // ---- employees payload ---------------------------------------------------------------------

    @Test
    void employeesPayloadListsEveryExtensionOfEveryRecordInOrder() {
        List<ExtensionPresence> out = translator.translate(TelecomXPayload.employees(TelecomXFixtures.bytes("employees.json")), NOW);
        assertEquals(List.of("592", "593", "594", "595", "596", "597", "598", "500", "599", "601"),
                out.stream().map(ExtensionPresence::extension).toList(),
                "an employee without extensions and a GROUP record add nothing");
        assertTrue(out.stream().allMatch(p -> NOW.equals(p.observedAt())));
    }

    @Test
    void workIsAvailable() {
        ExtensionPresence p = employees(translator, "employees.json").get("592");
        assertEquals(Presence.AVAILABLE, p.presence());
        assertEquals("WORK", p.presenceLabel());
        assertNull(p.presenceAcceptsCalls(), "WORK has no policy field");
        assertEquals(Registration.REGISTERED, p.registration());
        assertEquals(LineState.IDLE, p.line());
        assertEquals(Availability.AVAILABLE, p.availability());
        assertTrue(p.acceptsCalls());
        assertEquals(List.of(), p.reasons());
        assertEquals("WORK", p.vendorStatus().get("presence"));
        assertEquals("IDLE", p.vendorStatus().get("state"));
        assertEquals(0, p.vendorStatus().get("calls"));
    }

    @Test
    void offWorkWithPolicyAvailableStillTakesCalls() {
        ExtensionPresence p = employees(translator, "employees.json").get("593");
        assertEquals(Presence.OFF_WORK, p.presence());
        assertEquals(Boolean.TRUE, p.presenceAcceptsCalls());
        assertEquals("AVAILABLE", p.vendorStatus().get("onPresenceOffWork"));
        assertEquals(Availability.AVAILABLE, p.availability(), "the vendor's own policy says calls are still accepted");
        assertTrue(p.acceptsCalls());
    }

    @Test
    void holidayWithPolicyBusyIsAwayAndRefusesCalls() {
        ExtensionPresence p = employees(translator, "employees.json").get("594");
        assertEquals(Presence.HOLIDAY, p.presence());
        assertEquals(Boolean.FALSE, p.presenceAcceptsCalls());
        assertEquals("BUSY", p.vendorStatus().get("onPresenceHoliday"));
        assertEquals(Availability.AWAY, p.availability());
        assertEquals(List.of(Reason.PROFILE_HOLIDAY, Reason.CALLS_BLOCKED_BY_PRESENCE_POLICY), p.reasons());
        assertFalse(p.acceptsCalls());
    }

    @Test
    void whitelistPolicyIsNotGenerallyAvailableButKeepsTheRawPolicy() {
        ExtensionPresence p = employees(translator, "employees.json").get("595");
        assertEquals(Presence.BUSY, p.presence(), "presence sent as a bare string");
        assertEquals(Boolean.FALSE, p.presenceAcceptsCalls());
        assertEquals("WHITELIST_INT", p.vendorStatus().get("onPresenceBusy"));
        assertEquals(Availability.BUSY, p.availability());
        assertEquals(List.of(Reason.PROFILE_BUSY, Reason.CALLS_BLOCKED_BY_PRESENCE_POLICY), p.reasons());
        assertFalse(p.acceptsCalls());
    }

    @Test
    void whitelistCanBeConfiguredToCountAsAcceptingCalls() {
        ExtensionPresence p = employees(new TelecomXTranslator("tx", true), "employees.json").get("595");
        assertEquals(Boolean.TRUE, p.presenceAcceptsCalls());
        assertEquals(List.of(Reason.PROFILE_BUSY), p.reasons());
        assertEquals(Availability.BUSY, p.availability(), "a chosen presence of BUSY is still busy");
        assertTrue(p.acceptsCalls());
    }

    @Test
    void aCallInProgressWithoutCallWaitingIsBusyAndRefusesASecondCall() {
        ExtensionPresence p = employees(translator, "employees.json").get("596");
        assertEquals(LineState.TALKING, p.line(), "state INUSE refined by the call's UP");
        assertEquals(1, p.activeCalls());
        assertEquals(Boolean.FALSE, p.callWaiting());
        assertEquals(Availability.BUSY, p.availability());
        assertEquals(List.of(Reason.ON_CALL), p.reasons());
        assertFalse(p.acceptsCalls());
    }

    @Test
    void ringingWithCallWaitingStillAcceptsCalls() {
        ExtensionPresence p = employees(translator, "employees.json").get("597");
        assertEquals(LineState.RINGING, p.line());
        assertEquals(Availability.BUSY, p.availability());
        assertEquals(List.of(Reason.RINGING), p.reasons());
        assertTrue(p.acceptsCalls(), "call waiting is on");
    }

    @Test
    void phonesListedButNoneOnlineIsNotRegistered() {
        ExtensionPresence p = employees(translator, "employees.json").get("598");
        assertEquals("Huey Duck (mobile)", p.name());
        assertEquals(Registration.NOT_REGISTERED, p.registration(), "online sent as the string \"false\" counts too");
        assertEquals(Boolean.FALSE, p.dnd());
        assertEquals(LineState.UNAVAILABLE, p.line());
        assertEquals(Availability.OFFLINE, p.availability());
        assertEquals(List.of(Reason.NOT_REGISTERED), p.reasons());
        assertFalse(p.acceptsCalls());
    }

    @Test
    void standaloneExtensionHasNoPresenceAndItsPhoneDndCounts() {
        ExtensionPresence p = employees(translator, "employees.json").get("500");
        assertEquals("Reception", p.name());
        assertEquals(Presence.UNKNOWN, p.presence());
        assertNull(p.presenceLabel());
        assertFalse(p.vendorStatus().containsKey("presence"));
        assertEquals(Boolean.TRUE, p.dnd(), "dnd sent as the string \"true\"");
        assertEquals(Registration.REGISTERED, p.registration());
        assertEquals(Boolean.TRUE, p.callWaiting());
        assertEquals("true", p.vendorStatus().get("callWaiting"), "raw value kept as sent");
        assertEquals(Availability.DND, p.availability());
        assertFalse(p.acceptsCalls());
    }

    @Test
    void undocumentedValuesAreUnknownKeptAndReportedOnce() {
        try (LogCapture logs = LogCapture.open()) {
            TelecomXTranslator t = new TelecomXTranslator("tx-unknown-" + System.nanoTime());
            Map<String, ExtensionPresence> out = employees(t, "employees.json");
            employees(t, "employees.json");

            ExtensionPresence dewey = out.get("599");
            assertEquals(Presence.UNKNOWN, dewey.presence());
            assertEquals("LUNCH", dewey.presenceLabel());
            assertEquals("LUNCH", dewey.vendorStatus().get("presence"));
            assertEquals("PARKED", dewey.vendorStatus().get("state"));
            assertEquals(LineState.BUSY, dewey.line(), "an unknown state with a call of unknown kind is still in use");
            assertEquals(1, dewey.activeCalls());

            ExtensionPresence louie = out.get("601");
            assertEquals(Presence.OFF_WORK, louie.presence());
            assertNull(louie.presenceAcceptsCalls());
            assertEquals("VOICEMAIL_ONLY", louie.vendorStatus().get("onPresenceOffWork"));
            assertEquals(Availability.AWAY, louie.availability());
            assertEquals(List.of(Reason.PROFILE_OFF_WORK, Reason.UNRECOGNISED_VENDOR_VALUE), louie.reasons());
            assertFalse(louie.acceptsCalls(), "an unknown call policy never accepts calls");
            assertEquals(Set.of(Dimension.CALL_POLICY), louie.unrecognised());
            assertEquals(Set.of(Dimension.PRESENCE, Dimension.LINE), dewey.unrecognised());
            assertTrue(dewey.reasons().contains(Reason.UNRECOGNISED_VENDOR_VALUE));

            List<String> warnings = logs.lines(Level.WARN);
            for (String value : List.of("presence value 'LUNCH'", "extension state value 'PARKED'",
                    "call state value 'TRANSFERRING'", "onPresenceOffWork value 'VOICEMAIL_ONLY'", "record type value 'GROUP'")) {
                assertEquals(1, warnings.stream().filter(w -> w.contains(value)).count(), value + " reported once: " + warnings);
            }
        }
    }

    @Test
    void employeesUnderAnEnvelopeAreAcceptedToo() {
        assertEquals(List.of("592", "593"), List.copyOf(employees(translator, "employees-wrapped.json").keySet()));
    }

    // ---- extension pages -----------------------------------------------------------------------

    @Test
    void extensionPagesAreJoinedLenientlyAndCarryNoPresenceOrLine() {
        List<ExtensionPresence> out = pages("extensions-page-0.json", "extensions-page-1.json");
        assertEquals(List.of("592", "593", "500"), out.stream().map(ExtensionPresence::extension).toList());
        ExtensionPresence daisy = out.get(1);
        assertEquals(Boolean.FALSE, daisy.callWaiting(), "\"false\"");
        assertEquals(Registration.NOT_REGISTERED, daisy.registration(), "online \"0\"");
        assertEquals(Boolean.FALSE, daisy.dnd(), "dnd \"1\" on an offline phone blocks nothing");
        assertEquals(Availability.OFFLINE, daisy.availability());
        assertTrue(out.stream().allMatch(p -> p.presence() == Presence.UNKNOWN && p.line() == LineState.UNKNOWN));
        assertEquals(Registration.REGISTERED, out.get(0).registration());
        assertEquals(Registration.UNKNOWN, out.get(2).registration(), "no phones field");
    }

    @Test
    void aBareArrayPageIsAcceptedToo() {
        assertEquals(List.of("592", "593"), pages("extensions-array-page.json").stream().map(ExtensionPresence::extension).toList());
    }

    @Test
    void anEmptyPageIsAnEmptySnapshot() {
        assertEquals(List.of(), translator.translate(TelecomXPayload.extensionPages(List.of("[]".getBytes())), NOW));
    }

    // ---- broken payloads -------------------------------------------------------------------------

    private PayloadException employeesFail(String file) {
        return assertThrows(PayloadException.class,
                () -> translator.translate(TelecomXPayload.employees(TelecomXFixtures.bytes(file)), NOW));
    }

    @Test
    void brokenEmployeesPayloadsNameWhatIsWrong() {
        assertTrue(employeesFail("employees-truncated.json").getMessage().startsWith("TelecomX employees payload: truncated JSON"));
        assertTrue(employeesFail("not-json.html").getMessage().startsWith("TelecomX employees payload: malformed JSON (line 1, column 1)"));
        assertEquals("TelecomX employees payload: top level is a string, expected an array of EMPLOYEE / EXTENSION records",
                employeesFail("employees-top-level-string.json").getMessage());
        assertEquals("TelecomX employees payload: record 0 extension 0 has no number",
                employeesFail("employees-extension-without-number.json").getMessage());
        assertEquals("TelecomX employees payload: record 1 extension 0 repeats number 592 of record 0 extension 0",
                employeesFail("employees-duplicate-number.json").getMessage());
        assertEquals("TelecomX employees payload: record 0 extension 0 has 'phones' as a string, expected an array",
                employeesFail("employees-phones-not-array.json").getMessage());
        assertEquals("TelecomX employees payload: empty body, expected JSON",
                assertThrows(PayloadException.class, () -> translator.translate(TelecomXPayload.employees(new byte[0]), NOW)).getMessage());
        assertEquals("TelecomX employees payload: record 0 is a number, expected an EMPLOYEE or EXTENSION object",
                assertThrows(PayloadException.class, () -> translator.translate(TelecomXPayload.employees("[7]"), NOW)).getMessage());
        assertEquals("TelecomX employees payload: record 0 has 'extensions' as an object, expected an array",
                assertThrows(PayloadException.class, () -> translator.translate(
                        TelecomXPayload.employees("[{\"type\":\"EMPLOYEE\",\"extensions\":{}}]"), NOW)).getMessage());
    }

    @Test
    void brokenExtensionPagesNameThePageAndWhatIsWrong() {
        assertEquals("TelecomX extension page 1: element 0 repeats number 592 of page 0 element 0",
                assertThrows(PayloadException.class, () -> pages("extensions-page-0.json", "extensions-page-0.json")).getMessage());
        assertTrue(assertThrows(PayloadException.class, () -> pages("extensions-page-without-extensions.json")).getMessage()
                .startsWith("TelecomX extension page 0: an object without an 'extensions' array"));
        assertTrue(assertThrows(PayloadException.class, () -> pages("extensions-page-0.json", "not-json.html")).getMessage()
                .startsWith("TelecomX extension page 1: malformed JSON"));
        assertEquals("TelecomX extension page 0: element 1 is a string, expected an extension object",
                assertThrows(PayloadException.class, () -> translator.translate(
                        TelecomXPayload.extensionPages(List.of("[{\"number\":\"1\"},\"2\"]".getBytes())), NOW)).getMessage());
    }

    @Test
    void payloadOfTheWrongFormIsRefused() {
        assertThrows(PayloadException.class, () -> translator.translate(new TelecomXPayload(TelecomXMode.EMPLOYEES, List.of()), NOW));
        assertThrows(PayloadException.class, () -> translator.translate(new TelecomXPayload(TelecomXMode.EXTENSIONS, List.of()), NOW));
    }

    @Test
    void enumValuesAreMatchedWhateverTheirCase() {
        String body = "[{\"type\":\"employee\",\"presence\":{\"state\":\"off-work\"},\"extensions\":[{\"number\":\"1\","
                + "\"onPresenceOffWork\":\"busy_not_mobile\",\"phones\":[{\"online\":true}],\"state\":\"not_inuse\"}]}]";
        ExtensionPresence p = translator.translate(TelecomXPayload.employees(body), NOW).get(0);
        assertEquals(Presence.OFF_WORK, p.presence());
        assertEquals(Boolean.FALSE, p.presenceAcceptsCalls());
        assertEquals(LineState.IDLE, p.line());
    }
}
