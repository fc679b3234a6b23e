package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.model.Availability;
import pbx.presence.model.CallClass;
import pbx.presence.model.Device;
import pbx.presence.model.Dimension;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Reason;
import pbx.presence.model.Registration;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against fixtures built from seed 003 and VENDORS.md §5 (see src/test/resources/vendors/telphin/README.md). */
class TelphinTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:03Z");
    private final TelphinTranslator translator = new TelphinTranslator("hq-telphin");

    private Map<String, ExtensionPresence> byNumber(List<ExtensionPresence> list) {
        return list.stream().collect(Collectors.toMap(ExtensionPresence::extension, Function.identity()));
    }

    @Test
    void everyMnemoOfTheSeedIsKnownAndExactlyTheInboundOnesLetCallsIn() {
        JsonNode table = LenientJson.parse(TelphinFixtures.bytes("call-property.json"), "call_property");
        Set<String> inbound = new java.util.TreeSet<>();
        for (JsonNode p : table) {
            String mnemo = p.get("mnemo").asText();
            TelphinCallProperty prop = TelphinCallProperty.of(mnemo)
                    .orElseThrow(() -> new AssertionError("seed mnemo " + mnemo + " is not mapped"));
            if (prop.callClass().inbound()) {
                inbound.add(mnemo);
            }
        }
        assertEquals(8, table.size());
        assertEquals(Set.of("all", "li", "qli", "qri", "ri"), inbound, "VENDORS.md: all or li, ri, qli, qri let inbound calls in");
    }

    @Test
    void statusPropertiesDecideWhetherCallsGetThroughAndTheNameIsTheLabel() {
        // every active phone registered, so acceptsCalls shows what the status alone does
        TelphinPayload payload = TelphinFixtures.payload("statuses.json", List.of("extensions-page-1.json", "extensions-page-2.json"),
                Map.of("1001", "registration-registered.json", "1002", "registration-registered.json",
                        "1003", "registration-registered.json", "1005", "registration-registered.json"), null);
        List<ExtensionPresence> out = translator.translate(payload, NOW);
        assertEquals(List.of("201", "202", "203", "204", "205"), out.stream().map(ExtensionPresence::extension).toList());

        ExtensionPresence alice = out.get(0);
        assertEquals("hq-telphin", alice.source());
        assertEquals("telphin", alice.vendor());
        assertEquals("1001", alice.extensionId());
        assertEquals("Alice Andersen", alice.name());
        assertTrue(alice.enabled());
        assertEquals(Presence.AVAILABLE, alice.presence());
        assertEquals("Available", alice.presenceLabel());
        assertEquals(EnumSet.of(CallClass.ALL), alice.allowedCalls());
        assertEquals(Availability.AVAILABLE, alice.availability());
        assertTrue(alice.acceptsCalls());
        assertEquals(List.of(), alice.reasons());
        assertEquals(Registration.REGISTERED, alice.registration());
        assertEquals(LineState.UNKNOWN, alice.line(), "calls not fetched");
        assertEquals(NOW, alice.observedAt());
        assertEquals("0003*201", alice.vendorStatus().get("name"));
        assertEquals("active", alice.vendorStatus().get("status"));
        assertEquals(1, ((Number) alice.vendorStatus().get("call_status_id")).intValue());
        assertEquals("Available", alice.vendorStatus().get("call_status_name"));
        assertEquals("all", alice.vendorStatus().get("property_list"));

        ExtensionPresence lunch = out.get(1);
        assertEquals(Presence.CUSTOM, lunch.presence(), "a status name that is not 'available' is a custom status");
        assertEquals("Lunch", lunch.presenceLabel());
        assertEquals(EnumSet.of(CallClass.INT_IN, CallClass.INT_OUT), lunch.allowedCalls());
        assertEquals(Availability.AWAY, lunch.availability());
        assertFalse(lunch.acceptsCalls(), "only internal calls ring: an external caller would not get through (issue 8 item 14)");
        assertEquals(List.of(Reason.PROFILE_CUSTOM), lunch.reasons());

        ExtensionPresence dnd = out.get(2);
        assertEquals(EnumSet.of(CallClass.INT_OUT, CallClass.EXT_OUT), dnd.allowedCalls());
        assertEquals(Availability.DND, dnd.availability(), "no inbound class: blocked by status");
        assertFalse(dnd.acceptsCalls());
        assertEquals(List.of(Reason.CALLS_BLOCKED_BY_STATUS, Reason.PROFILE_CUSTOM), dnd.reasons());

        ExtensionPresence blocked = out.get(3);
        assertFalse(blocked.enabled());
        assertEquals("blocked", blocked.vendorStatus().get("status"));
        assertEquals(Availability.OFFLINE, blocked.availability());
        assertEquals(Reason.DISABLED, blocked.reasons().get(0));
        assertFalse(blocked.acceptsCalls());

        ExtensionPresence broadest = out.get(4);
        assertEquals(EnumSet.of(CallClass.ALL), broadest.allowedCalls(), "[li, all, ro]: the broadest wins");
        assertEquals("li,all,ro", broadest.vendorStatus().get("property_list"));
        assertEquals(Presence.CUSTOM, broadest.presence(), "'Available everywhere' does not match the whole pattern");
    }

    @Test
    void registrationGivesDevicesAndCallsGiveTheLine() {
        TelphinPayload payload = TelphinFixtures.payload("statuses.json", List.of("extensions-page-1.json"),
                Map.of("1001", "registration-registered.json", "1002", "registration-not-registered.json",
                        "1003", "registration-expired.json"),
                "current-calls.json");
        Map<String, ExtensionPresence> out = byNumber(translator.translate(payload, NOW));

        ExtensionPresence alice = out.get("201");
        assertEquals(Registration.REGISTERED, alice.registration());
        assertEquals(List.of(
                new Device("sip:0003*201@192.168.10.51:5060", "Yealink SIP-T46S 66.86.0.15", true, null, Instant.parse("2026-11-22T11:15:03Z")),
                new Device("sip:0003*201@10.8.0.12:50432", "Telphin softphone 2.4", true, null, Instant.parse("2026-11-22T10:20:00Z"))),
                alice.devices());
        assertEquals(LineState.TALKING, alice.line());
        assertEquals(1, alice.activeCalls());
        assertEquals(Availability.BUSY, alice.availability());
        assertEquals(List.of(Reason.ON_CALL), alice.reasons());
        assertEquals(true, alice.vendorStatus().get("registered"));
        assertEquals(2, alice.vendorStatus().get("registrations"));
        assertEquals(1, alice.vendorStatus().get("current_calls"));

        ExtensionPresence bob = out.get("202");
        assertEquals(Registration.NOT_REGISTERED, bob.registration());
        assertEquals(LineState.RINGING, bob.line());
        assertEquals(Availability.OFFLINE, bob.availability());
        assertEquals(List.of(Reason.NOT_REGISTERED, Reason.RINGING, Reason.PROFILE_CUSTOM), bob.reasons());

        ExtensionPresence carol = out.get("203");
        assertEquals(Registration.EXPIRED, carol.registration(), "registered \"false\" and every entry expired");
        assertEquals(Boolean.FALSE, carol.devices().get(0).online());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), carol.devices().get(0).expiresAt());
        assertEquals(LineState.DIALING, carol.line(), "out without answer_time_gmt (empty string)");
        assertEquals(Availability.OFFLINE, carol.availability());
    }

    @Test
    void registrationWithoutFlagAndCallsThatAreNotRealOrUndocumented() {
        TelphinPayload payload = TelphinFixtures.payload("statuses.json",
                List.of("extensions-page-2.json", "extensions-lenient.json"),
                Map.of("1005", "registration-no-flag.json"), "current-calls.json");
        Map<String, ExtensionPresence> out;
        try (LogCapture log = LogCapture.open()) {
            out = byNumber(new TelphinTranslator("calls-" + System.nanoTime()).translate(payload, NOW));
            assertTrue(log.lines(Level.WARN).stream().anyMatch(l -> l.contains("call_flow") && l.contains("'transfer'")), log.all());
        }
        ExtensionPresence eve = out.get("205");
        assertEquals(Registration.REGISTERED, eve.registration(), "no flag, a valid entry");
        assertEquals(NOW.plusSeconds(300), eve.devices().get(0).expiresAt(), "expires as SIP seconds from now");
        assertEquals(LineState.IDLE, eve.line(), "real_call=false does not occupy the line");
        assertEquals(0, eve.activeCalls());
        assertEquals(Availability.AWAY, eve.availability());

        ExtensionPresence frank = out.get("206");
        assertEquals(LineState.BUSY, frank.line(), "undocumented call_flow: in use, kind unknown");
        assertEquals(Set.of(Dimension.LINE), frank.unrecognised());
        assertTrue(frank.reasons().contains(Reason.UNRECOGNISED_VENDOR_VALUE));
        assertEquals(Registration.UNKNOWN, frank.registration(), "registration not fetched for this one");
    }

    @Test
    void lenientShapesAndUndocumentedValues() {
        List<ExtensionPresence> list;
        try (LogCapture log = LogCapture.open()) {
            // a source of its own: each undocumented value is reported once per source
            list = new TelphinTranslator("lenient-" + System.nanoTime()).translate(TelphinFixtures.pages("extensions-lenient.json"), NOW);
            List<String> warns = log.lines(Level.WARN);
            assertTrue(warns.stream().anyMatch(l -> l.contains("property_list mnemo") && l.contains("'vip'")), warns.toString());
            assertTrue(warns.stream().anyMatch(l -> l.contains("extension status") && l.contains("'suspended'")), warns.toString());
            assertTrue(warns.stream().anyMatch(l -> l.contains("call_status_id") && l.contains("'99'")), warns.toString());
        }
        assertEquals(List.of("206", "207", "208", "209", "211", "212", "213", "214"),
                list.stream().map(ExtensionPresence::extension).toList(), "the queue extension 600 is skipped");
        Map<String, ExtensionPresence> out = byNumber(list);

        ExtensionPresence frank = out.get("206");
        assertEquals("1006", frank.extensionId());
        assertEquals(Presence.AVAILABLE, frank.presence(), "'Доступен' is available by default");
        assertEquals(EnumSet.of(CallClass.INT_IN, CallClass.EXT_IN), frank.allowedCalls(), "property_list as a string");

        ExtensionPresence queueOnly = out.get("207");
        assertEquals("1007", queueOnly.extensionId(), "1007.0 reads as 1007");
        assertEquals("Queue only", queueOnly.presenceLabel(), "status object instead of an id");
        assertEquals(EnumSet.of(CallClass.QUEUE_INT_IN, CallClass.QUEUE_EXT_IN, CallClass.INT_OUT, CallClass.EXT_OUT),
                queueOnly.allowedCalls());
        assertFalse(queueOnly.reasons().contains(Reason.CALLS_BLOCKED_BY_STATUS), "queue calls are inbound calls");

        ExtensionPresence noStatus = out.get("208");
        assertEquals(Presence.UNKNOWN, noStatus.presence());
        assertNull(noStatus.allowedCalls());
        assertEquals("Gina", noStatus.name());
        assertEquals("208", noStatus.vendorStatus().get("name"), "a name without client prefix");
        assertEquals(Availability.UNKNOWN, noStatus.availability());

        ExtensionPresence suspended = out.get("209");
        assertTrue(suspended.enabled(), "an undocumented extension status does not prove it is off");
        assertEquals("suspended", suspended.vendorStatus().get("status"));
        assertEquals(Presence.UNKNOWN, suspended.presence(), "status id 99 is not in the status list");
        assertEquals(99, ((Number) suspended.vendorStatus().get("call_status_id")).intValue());
        assertNull(suspended.allowedCalls());
        assertEquals(Set.of(Dimension.ENABLED, Dimension.PRESENCE, Dimension.CALL_POLICY), suspended.unrecognised());
        assertTrue(suspended.reasons().contains(Reason.UNRECOGNISED_VENDOR_VALUE), "never AVAILABLE on an unknown status");
        assertFalse(suspended.acceptsCalls(), "an unknown status says nothing about which calls get through");

        ExtensionPresence vip = out.get("211");
        assertEquals(EnumSet.of(CallClass.INT_IN), vip.allowedCalls(), "an undocumented code allows nothing");
        assertEquals("li,vip", vip.vendorStatus().get("property_list"));
        assertEquals(Set.of(Dimension.CALL_POLICY), vip.unrecognised());
        assertFalse(vip.acceptsCalls());

        ExtensionPresence nothing = out.get("212");
        assertEquals(Set.of(), nothing.allowedCalls());
        assertEquals(Availability.DND, nothing.availability());
        assertEquals(Reason.CALLS_BLOCKED_BY_STATUS, nothing.reasons().get(0));

        assertNull(out.get("213").allowedCalls(), "a status without property_list says nothing about calls");
        assertFalse(out.get("213").reasons().contains(Reason.CALLS_BLOCKED_BY_STATUS));

        ExtensionPresence callback = out.get("214");
        assertEquals(EnumSet.of(CallClass.CALLBACK_QUEUE, CallClass.EXT_OUT), callback.allowedCalls());
        assertEquals(Availability.DND, callback.availability(), "callback legs only: no ordinary inbound call");
    }

    @Test
    void theStatusFieldIsConfigurableAndNamesCanBeMappedExplicitly() {
        String page = "[{\"id\": 5, \"name\": \"0003*301\", \"status\": \"active\", \"current_status\": 2},"
                + " {\"id\": 6, \"name\": \"0003*302\", \"status\": \"active\", \"current_status\": 1, \"call_status_id\": 3}]";
        TelphinPayload payload = TelphinPayload.fromBodies(TelphinFixtures.bytes("statuses.json"),
                List.of(page.getBytes(StandardCharsets.UTF_8)), Map.of(), null);
        TelphinTranslator custom = new TelphinTranslator("hq", "current_status",
                TelphinPresenceMapping.fromOptions("available|на месте", "Lunch=LUNCH; Do not disturb=DND"));
        Map<String, ExtensionPresence> out = byNumber(custom.translate(payload, NOW));
        assertEquals(Presence.LUNCH, out.get("301").presence());
        assertEquals(List.of(Reason.PROFILE_LUNCH), out.get("301").reasons());
        assertEquals(2, ((Number) out.get("301").vendorStatus().get("current_status")).intValue());
        assertEquals(Presence.AVAILABLE, out.get("302").presence(), "call_status_id is ignored when another field is configured");
    }

    @Test
    void aWrappedPageWithATotalIsRead() {
        List<ExtensionPresence> out = translator.translate(TelphinFixtures.pages("extensions-wrapped.json"), NOW);
        assertEquals(List.of("201", "202"), out.stream().map(ExtensionPresence::extension).toList());
    }

    @Test
    void anExtensionOnTwoPagesIsRejected() {
        PayloadException sameId = assertThrows(PayloadException.class, () -> translator.translate(
                TelphinFixtures.pages("extensions-page-1.json", "extensions-repeat.json"), NOW));
        assertEquals("extension page 2, element 0 repeats extension id 1003 of extension page 1, element 2", sameId.getMessage());
        PayloadException sameNumber = assertThrows(PayloadException.class, () -> translator.translate(
                TelphinFixtures.pages("extensions-page-1.json", "extensions-same-number.json"), NOW));
        assertEquals("extension page 2, element 0 repeats extension 203 of extension page 1, element 2", sameNumber.getMessage());
    }

    @Test
    void malformedBodiesNameWhatIsWrong() {
        assertPayload("extension page 1: truncated JSON", () -> TelphinFixtures.pages("extensions-truncated.json"));
        assertPayload("extension page 1: malformed JSON (line 1, column 1)", () -> TelphinFixtures.pages("not-json.html"));
        assertPayload("extension page 1: a string, expected a JSON array of extensions",
                () -> translator.translate(TelphinFixtures.pages("extensions-not-array.json"), NOW));
        assertPayload("extension page 1: element 1 is a string, expected an extension object",
                () -> translator.translate(TelphinFixtures.pages("extensions-element-string.json"), NOW));
        assertPayload("extension page 1, element 1 (id 1002) has no name (extension number)",
                () -> translator.translate(TelphinFixtures.pages("extension-without-name.json"), NOW));
        assertPayload("extension page 1: an error object instead of extensions: Client 4711 not found",
                () -> translator.translate(TelphinFixtures.pages("error-body.json"), NOW));
        assertPayload("statuses: element 0 (id 1): property_list is an object, expected an array of mnemo codes",
                () -> translator.translate(TelphinFixtures.payload("statuses-bad-property-list.json",
                        List.of("extensions-page-1.json"), Map.of(), null), NOW));
        assertPayload("statuses: an error object instead of statuses: Client 4711 not found",
                () -> translator.translate(TelphinFixtures.payload("error-body.json",
                        List.of("extensions-page-1.json"), Map.of(), null), NOW));
        assertPayload("registration of extension 201 (id 1001): a string, expected a registration object",
                () -> translator.translate(TelphinPayload.fromBodies(TelphinFixtures.bytes("statuses.json"),
                        List.of(TelphinFixtures.bytes("extensions-page-1.json")),
                        Map.of("1001", "\"yes\"".getBytes(StandardCharsets.UTF_8)), null), NOW));
        assertPayload("current calls: an object, expected a JSON array of calls",
                () -> translator.translate(TelphinFixtures.payload("statuses.json", List.of("extensions-page-1.json"),
                        Map.of(), "error-body.json"), NOW));
    }

    private static void assertPayload(String expectedStart, org.junit.jupiter.api.function.Executable call) {
        PayloadException e = assertThrows(PayloadException.class, call);
        assertTrue(e.getMessage().startsWith(expectedStart), "expected '" + expectedStart + "…', got '" + e.getMessage() + "'");
    }

    @Test
    void extensionNumbersDropTheClientPrefixAndDomain() {
        assertEquals("201", TelphinTranslator.number("0003*201"));
        assertEquals("100", TelphinTranslator.number("00500*0003*100"));
        assertEquals("100", TelphinTranslator.number("0003*100@somehost.com"));
        assertEquals("208", TelphinTranslator.number("208"));
        assertEquals("0003*", TelphinTranslator.number("0003*"));
    }

    @Test
    void presenceMappingOptionsAreChecked() {
        TelphinPresenceMapping m = TelphinPresenceMapping.fromOptions("", "none");
        assertEquals(Presence.AVAILABLE, m.presenceOf(" available "));
        assertEquals(Presence.AVAILABLE, m.presenceOf("В сети"));
        assertEquals(Presence.CUSTOM, m.presenceOf("Недоступен"), "whole-name match: 'unavailable' in Russian is not available");
        assertEquals(Presence.UNKNOWN, m.presenceOf(" "));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TelphinPresenceMapping.fromOptions("", "Lunch=HUNGRY"));
        assertTrue(bad.getMessage().startsWith("statusPresence entry 'Lunch=HUNGRY': 'HUNGRY' is not one of"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TelphinPresenceMapping.fromOptions("", "Lunch"));
        assertThrows(IllegalArgumentException.class, () -> TelphinPresenceMapping.fromOptions("(", "none"));
    }
}
