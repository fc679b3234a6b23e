package pbx.presence.connector.threecx;

import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.model.AgentState;
import pbx.presence.model.Availability;
import pbx.presence.model.ChatStatus;
import pbx.presence.model.Device;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Reason;
import pbx.presence.model.Registration;
import pbx.presence.connector.PayloadException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the VENDORS.md §3 shaped fixtures in src/test/resources/vendors/3cx-v20/. */
class ThreeCxV20TranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:03.120Z");

    private final ThreeCxV20Translator translator = new ThreeCxV20Translator("hq-v20", ThreeCxProfileMapping.defaults());

    private static byte[] fixture(String file) {
        return Fixtures.bytes("3cx-v20", file);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ThreeCxV20Payload twoPages() {
        return new ThreeCxV20Payload(List.of(fixture("users-page-1.json"), fixture("users-page-2.json")),
                fixture("callcontrol.json"));
    }

    private Map<String, ExtensionPresence> byExtension(ThreeCxV20Translator t) {
        return t.translate(twoPages(), NOW).stream()
                .collect(Collectors.toMap(ExtensionPresence::extension, Function.identity()));
    }

    private PayloadException fails(List<byte[]> pages, byte[] callControl) {
        return assertThrows(PayloadException.class,
                () -> translator.translate(new ThreeCxV20Payload(pages, callControl), NOW));
    }

    private PayloadException usersFail(byte[] page) {
        return fails(List.of(page), fixture("callcontrol.json"));
    }

    private PayloadException callControlFails(byte[] callControl) {
        return fails(List.of(fixture("users-page-1.json")), callControl);
    }

    @Test
    void everyUserOfEveryPageInPageOrderAndNothingElse() {
        List<ExtensionPresence> out = translator.translate(twoPages(), NOW);
        assertEquals(List.of("201", "202", "203", "204", "205", "206", "207", "208", "209", "210"),
                out.stream().map(ExtensionPresence::extension).toList(), "queue DN 800 is not a user");
        for (ExtensionPresence p : out) {
            assertEquals("hq-v20", p.source());
            assertEquals("3cx-v20", p.vendor());
            assertEquals(NOW, p.observedAt());
            assertEquals(ChatStatus.UNKNOWN, p.chat());
            assertEquals(AgentState.UNKNOWN, p.agent());
        }
    }

    @Test
    void availableUserOnAConnectedCallIsBusy() {
        ExtensionPresence p = byExtension(translator).get("201");
        assertEquals("31", p.extensionId());
        assertEquals("Alice Andersen", p.name(), "FirstName + \" \" + LastName");
        assertTrue(p.enabled());
        assertEquals(Presence.AVAILABLE, p.presence());
        assertEquals("Available", p.presenceLabel());
        assertEquals(Registration.REGISTERED, p.registration());
        assertEquals(List.of(new Device("sip:201@192.168.10.51:5060", "Yealink SIP-T46S 66.86.0.15", null, null, null)),
                p.devices());
        assertEquals(LineState.TALKING, p.line());
        assertEquals(1, p.activeCalls());
        assertEquals(Boolean.FALSE, p.callWaiting(), "AcceptMultipleCalls of the current profile");
        assertEquals(Availability.BUSY, p.availability());
        assertEquals(List.of(Reason.ON_CALL), p.reasons());
        assertFalse(p.acceptsCalls());
        assertEquals(List.of("Connected"), p.vendorStatus().get("participants"));
        assertEquals("Wextension", p.vendorStatus().get("dnType"));
        assertEquals("Available", p.vendorStatus().get("CurrentProfileName"));
        assertEquals(true, p.vendorStatus().get("IsRegistered"));
        assertEquals(true, p.vendorStatus().get("Enabled"));
        assertEquals(false, p.vendorStatus().get("AcceptMultipleCalls"));
    }

    @Test
    void awayProfileIsAwayButThePhoneStillRings() {
        ExtensionPresence p = byExtension(translator).get("202");
        assertEquals(Presence.AWAY, p.presence());
        assertEquals(LineState.IDLE, p.line());
        assertEquals(0, p.activeCalls());
        assertEquals(2, p.devices().size());
        assertEquals("3CX Web Client", p.devices().get(1).userAgent());
        assertEquals(Availability.AWAY, p.availability());
        assertEquals(List.of(Reason.PROFILE_AWAY), p.reasons());
        assertTrue(p.acceptsCalls(), "away is a profile, not a blocked line");
        assertEquals(List.of(), p.vendorStatus().get("participants"));
    }

    @Test
    void outOfOfficeWhileRingingKeepsBothReasons() {
        ExtensionPresence p = byExtension(translator).get("203");
        assertEquals(Presence.OUT_OF_OFFICE, p.presence());
        assertEquals("OutOfOffice", p.presenceLabel());
        assertEquals(LineState.RINGING, p.line());
        assertNull(p.callWaiting(), "no ForwardingProfiles entry for the current profile");
        assertEquals(Availability.BUSY, p.availability());
        assertEquals(List.of(Reason.RINGING, Reason.PROFILE_OUT_OF_OFFICE), p.reasons());
    }

    @Test
    void numbersAndBooleansAsStringsAndAMissingLastName() {
        ExtensionPresence p = byExtension(translator).get("204");
        assertEquals("34", p.extensionId());
        assertEquals("Dave", p.name());
        assertTrue(p.enabled());
        assertEquals(Registration.REGISTERED, p.registration());
        assertEquals(Boolean.FALSE, p.callWaiting());
        assertEquals(LineState.IDLE, p.line(), "dn 204 sent as a number still joins Number \"204\"");
        assertEquals(List.of(), p.devices());
    }

    @Test
    void customProfilesAreCustomByDefaultWithTheirDisplayNameKept() {
        Map<String, ExtensionPresence> out = byExtension(translator);
        ExtensionPresence lunch = out.get("204");
        assertEquals(Presence.CUSTOM, lunch.presence());
        assertEquals("Available2", lunch.presenceLabel());
        assertEquals("Lunch", lunch.vendorStatus().get("CurrentProfileCustomName"));
        assertEquals(Availability.AWAY, lunch.availability());
        assertEquals(List.of(Reason.PROFILE_CUSTOM), lunch.reasons());
        assertEquals(Presence.CUSTOM, out.get("205").presence());
        assertEquals("OutOfOffice2", out.get("205").presenceLabel());
    }

    @Test
    void customProfilesFollowTheSourceOptions() {
        Map<String, ExtensionPresence> out = byExtension(
                new ThreeCxV20Translator("hq-v20", ThreeCxProfileMapping.fromOptions("available", "out_of_office")));
        assertEquals(Presence.AVAILABLE, out.get("204").presence());
        assertEquals(Availability.AVAILABLE, out.get("204").availability());
        assertEquals(List.of(), out.get("204").reasons());
        assertEquals(Presence.OUT_OF_OFFICE, out.get("205").presence());
        assertEquals("OutOfOffice2", out.get("205").presenceLabel(), "the label stays the vendor's name");
    }

    @Test
    void notRegisteredAndDisabledAreOffline() {
        Map<String, ExtensionPresence> out = byExtension(translator);
        ExtensionPresence eve = out.get("205");
        assertEquals(Registration.NOT_REGISTERED, eve.registration());
        assertEquals(LineState.IDLE, eve.line(), "listed by call control without participants");
        assertEquals(List.of(), eve.devices());
        assertEquals(Availability.OFFLINE, eve.availability());
        assertEquals(Reason.NOT_REGISTERED, eve.reasons().get(0));
        assertFalse(eve.acceptsCalls());

        ExtensionPresence frank = out.get("206");
        assertFalse(frank.enabled());
        assertEquals(Availability.OFFLINE, frank.availability());
        assertEquals(List.of(Reason.DISABLED, Reason.NOT_REGISTERED), frank.reasons());
    }

    @Test
    void aUserWithOnlyANumberAndNoCallControlEntryIsUnknown() {
        ExtensionPresence p = byExtension(translator).get("207");
        assertNull(p.name());
        assertNull(p.extensionId());
        assertTrue(p.enabled(), "missing Enabled means enabled");
        assertEquals(Presence.UNKNOWN, p.presence());
        assertNull(p.presenceLabel());
        assertEquals(Registration.UNKNOWN, p.registration());
        assertEquals(LineState.UNKNOWN, p.line(), "call control does not list 207: nothing known about its line");
        assertEquals(Availability.UNKNOWN, p.availability());
        assertEquals(List.of(Reason.NO_DATA), p.reasons());
        assertTrue(p.vendorStatus().isEmpty(), p.vendorStatus().toString());
    }

    @Test
    void severalParticipantsCountAndTheBusiestWins() {
        ExtensionPresence p = byExtension(translator).get("208");
        assertEquals("Hansen", p.name(), "empty FirstName: LastName alone");
        assertEquals(2, p.activeCalls());
        assertEquals(LineState.TALKING, p.line(), "Connected beats Dialing");
        assertEquals(List.of("Dialing", "Connected"), p.vendorStatus().get("participants"));
    }

    @Test
    void acceptMultipleCallsLetsASecondCallRing() {
        ExtensionPresence p = byExtension(translator).get("209");
        assertEquals(Boolean.TRUE, p.callWaiting());
        assertEquals(LineState.TALKING, p.line());
        assertEquals(Availability.BUSY, p.availability());
        assertTrue(p.acceptsCalls(), "call waiting: a second call is still offered");
    }

    @Test
    void undocumentedValuesAreKeptRawAndReportedOnce() {
        String source = "v20-unknown-" + System.nanoTime();
        ThreeCxV20Translator t = new ThreeCxV20Translator(source, ThreeCxProfileMapping.defaults());
        try (LogCapture log = LogCapture.open()) {
            Map<String, ExtensionPresence> out = t.translate(twoPages(), NOW).stream()
                    .collect(Collectors.toMap(ExtensionPresence::extension, Function.identity()));
            t.translate(twoPages(), NOW);

            ExtensionPresence holiday = out.get("208");
            assertEquals(Presence.UNKNOWN, holiday.presence());
            assertEquals("Holiday Mode", holiday.presenceLabel());
            assertEquals(List.of(Reason.ON_CALL, Reason.UNRECOGNISED_VENDOR_VALUE), holiday.reasons(),
                    "an unknown profile is never available");

            ExtensionPresence queued = out.get("210");
            assertEquals(LineState.BUSY, queued.line(), "a call of undocumented kind is still a call");
            assertEquals(1, queued.activeCalls());
            assertEquals(List.of("Queued"), queued.vendorStatus().get("participants"));
            assertEquals(Availability.BUSY, queued.availability());
            assertTrue(queued.reasons().contains(Reason.UNRECOGNISED_VENDOR_VALUE));
            assertEquals(java.util.Set.of(pbx.presence.model.Dimension.LINE), queued.unrecognised());

            List<String> warnings = log.lines().stream().filter(l -> l.contains(source)).toList();
            assertEquals(2, warnings.size(), "each value once, though translated twice: " + warnings);
            assertTrue(warnings.stream().anyMatch(l -> l.contains("CurrentProfileName value 'Holiday Mode'")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(l -> l.contains("participant status value 'Queued'")), warnings.toString());
        }
    }

    @Test
    void theDocumentedValuesAreNotReported() {
        String source = "v20-documented-" + System.nanoTime();
        byte[] page = json("{\"value\":[{\"Number\":\"201\",\"CurrentProfileName\":\"OutOfOffice2\",\"IsRegistered\":true}]}");
        byte[] cc = json("[{\"dn\":\"201\",\"participants\":[{\"status\":\"Dialing\"},{\"status\":\"Ringing\"},{\"status\":\"connected\"}]}]");
        try (LogCapture log = LogCapture.open()) {
            new ThreeCxV20Translator(source, ThreeCxProfileMapping.defaults()).translate(new ThreeCxV20Payload(List.of(page), cc), NOW);
            assertEquals(List.of(), log.lines().stream().filter(l -> l.contains(source)).toList());
        }
    }

    @Test
    void sameInputSameOutput() {
        assertEquals(translator.translate(twoPages(), NOW), translator.translate(twoPages(), NOW));
    }

    @Test
    void emptyPbx() {
        assertEquals(List.of(), translator.translate(
                new ThreeCxV20Payload(List.of(fixture("users-empty.json")), fixture("callcontrol-empty.json")), NOW));
    }

    @Test
    void aDuplicateAcrossPagesFailsNamingBoth() {
        PayloadException e = fails(List.of(fixture("users-page-1.json"), fixture("users-page-repeats-201.json")),
                fixture("callcontrol.json"));
        assertEquals("3CX v20 payload: Users page 2, user 0: repeats Number 201 of Users page 1, user 0", e.getMessage());
    }

    @Test
    void aDuplicateWithinAPageFails() {
        PayloadException e = usersFail(json("{\"value\":[{\"Number\":\"201\"},{\"Number\":\" 201 \"}]}"));
        assertTrue(e.getMessage().contains("Users page 1, user 1: repeats Number 201 of Users page 1, user 0"), e.getMessage());
    }

    @Test
    void brokenUsersPagesFailSayingWhatIsWrong() {
        assertTrue(usersFail(fixture("users-truncated.json")).getMessage()
                .startsWith("3CX v20 payload: Users page 1: truncated JSON"));
        assertTrue(usersFail(fixture("users-top-level-array.json")).getMessage()
                .contains("Users page 1: top level is an array, expected an OData object with a 'value' array of users"));
        assertTrue(usersFail(fixture("users-value-string.json")).getMessage()
                .contains("Users page 1: 'value' is a string, expected an array of users"));
        assertTrue(usersFail(fixture("users-error.json")).getMessage().contains("Users page 1: has no 'value' array of users"));
        assertTrue(usersFail(fixture("not-json.html")).getMessage().contains("Users page 1: malformed JSON"));
        assertTrue(usersFail(new byte[0]).getMessage().contains("Users page 1: empty body"));
        assertTrue(usersFail(json("{\"value\":[]} {\"value\":[]}")).getMessage().contains("malformed JSON"), "trailing tokens");
    }

    @Test
    void brokenUsersFailSayingWhichUser() {
        assertEquals("3CX v20 payload: Users page 1, user 1: has no Number",
                usersFail(fixture("users-without-number.json")).getMessage());
        assertEquals("3CX v20 payload: Users page 1, user 0: is a string, expected a user object",
                usersFail(json("{\"value\":[\"201\"]}")).getMessage());
        assertTrue(usersFail(json("{\"value\":[{\"Number\":\"201\",\"ForwardingProfiles\":\"Available\"}]}")).getMessage()
                .contains("Users page 1, user 0: ForwardingProfiles is a string, expected an array"));
    }

    @Test
    void brokenCallControlFailsSayingWhatIsWrong() {
        assertTrue(callControlFails(fixture("callcontrol-truncated.json")).getMessage()
                .startsWith("3CX v20 payload: /callcontrol: truncated JSON"));
        assertTrue(callControlFails(fixture("callcontrol-object.json")).getMessage()
                .contains("/callcontrol: top level is an object, expected an array of DN objects"));
        assertTrue(callControlFails(fixture("callcontrol-participants-string.json")).getMessage()
                .contains("/callcontrol element 0: participants is a string, expected an array"));
        assertEquals("3CX v20 payload: /callcontrol element 2: repeats dn 201 of element 0",
                callControlFails(fixture("callcontrol-duplicate-dn.json")).getMessage());
        assertTrue(callControlFails(json("[{\"type\":\"Wextension\"}]")).getMessage().contains("/callcontrol element 0: has no dn"));
        assertTrue(callControlFails(json("[42]")).getMessage().contains("/callcontrol element 0: is a number, expected a DN object"));
        assertTrue(callControlFails(json("[{\"dn\":\"201\",\"devices\":[\"x\"]}]")).getMessage()
                .contains("/callcontrol element 0: device 0 is a string, expected an object"));
        assertTrue(callControlFails(new byte[0]).getMessage().contains("/callcontrol: empty body"));
        assertTrue(callControlFails(fixture("not-json.html")).getMessage().contains("/callcontrol: malformed JSON"));
    }
}
