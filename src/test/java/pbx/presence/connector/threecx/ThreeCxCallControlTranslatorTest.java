package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pbx.presence.model.Dimension;
import pbx.presence.model.AgentState;
import pbx.presence.model.Availability;
import pbx.presence.model.ChatStatus;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Reason;
import pbx.presence.model.Registration;
import pbx.presence.connector.PayloadException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreeCxCallControlTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:03.120Z");

    private final ThreeCxCallControlTranslator translator =
            new ThreeCxCallControlTranslator("hq-3cx", ThreeCxProfileMapping.defaults(), false);

    private ExtensionPresence one(String fixture) {
        List<ExtensionPresence> out = translator.translate(Fixtures.callControl(fixture), NOW);
        assertEquals(1, out.size());
        return out.get(0);
    }

    private static PayloadException fails(ThreeCxCallControlTranslator t, byte[] payload) {
        return assertThrows(PayloadException.class, () -> t.translate(payload, NOW));
    }

    private PayloadException fails(String json) {
        return fails(translator, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void seed000UserStatusAvailableButChatOfflineIsNotAvailable() {
        ExtensionPresence p = one("seed-000-extension.json");
        assertEquals("hq-3cx", p.source());
        assertEquals("3cx-callcontrol", p.vendor());
        assertEquals("201", p.extension());
        assertEquals("Pinney Example", p.name());
        assertTrue(p.enabled());
        assertEquals(Presence.AVAILABLE, p.presence());
        assertEquals("Available", p.presenceLabel());
        assertEquals(ChatStatus.OFFLINE, p.chat());
        assertEquals(LineState.IDLE, p.line());
        assertEquals(0, p.activeCalls());
        assertEquals(Registration.REGISTERED, p.registration());
        assertEquals(AgentState.NONE, p.agent());
        assertEquals(List.of(), p.queues());
        assertEquals(Availability.AWAY, p.availability());
        assertEquals(List.of(Reason.CHAT_OFFLINE), p.reasons());
        assertTrue(p.acceptsCalls(), "registered, idle, nothing blocks inbound calls");
        assertEquals(NOW, p.observedAt());

        assertEquals("Available", p.vendorStatus().get("UserStatus"));
        assertEquals("4", p.vendorStatus().get("CHATSTATUS"));
        assertEquals(true, p.vendorStatus().get("IsRegistered"));
        assertEquals(0, p.vendorStatus().get("ActiveConnections"));
        assertEquals(1, p.vendorStatus().get("QueueStatus"));
        assertEquals(0, p.vendorStatus().get("Status"));
        assertEquals("", p.vendorStatus().get("LOGGED_IN_QUEUES"));
        assertFalse(p.vendorStatus().containsKey("CurrentProfile"));
    }

    @Test
    void availableOnlyWhenUserStatusAvailableChatOnlineAndNoConnections() {
        ExtensionPresence p = one("available.json");
        assertEquals(Availability.AVAILABLE, p.availability());
        assertEquals(List.of(), p.reasons());
        assertTrue(p.acceptsCalls());
        assertEquals(ChatStatus.ONLINE, p.chat());
    }

    @Test
    void currentProfileOutOfOfficeWinsOverUserStatusAvailable() {
        ExtensionPresence p = one("out-of-office.json");
        assertEquals(Presence.OUT_OF_OFFICE, p.presence());
        assertEquals("Out of office", p.presenceLabel());
        assertEquals(Availability.AWAY, p.availability());
        assertEquals(List.of(Reason.PROFILE_OUT_OF_OFFICE), p.reasons());
        assertTrue(p.acceptsCalls(), "the phone still rings: both facts matter (seed 000's trap)");
        assertEquals("Available", p.vendorStatus().get("UserStatus"));
        assertEquals("Out of office", p.vendorStatus().get("CurrentProfile"));
    }

    @Test
    void anActiveConnectionMakesItBusy() {
        ExtensionPresence p = one("on-call.json");
        assertEquals(LineState.BUSY, p.line());
        assertEquals(1, p.activeCalls());
        assertEquals(Availability.BUSY, p.availability());
        assertEquals(List.of(Reason.ON_CALL), p.reasons());
        assertFalse(p.acceptsCalls());
        assertEquals(1, p.vendorStatus().get("ActiveConnections"));
    }

    /** Seed 000's rule, for every combination, must agree with the canonical derivation. */
    @Test
    void seed000RuleFallsOutOfTheCanonicalDerivation() throws Exception {
        ArrayNode all = Json.MAPPER.createArrayNode();
        int n = 300;
        for (String userStatus : List.of("Available", "Away")) {
            for (int chat = 0; chat <= 4; chat++) {
                for (int connections = 0; connections <= 2; connections++) {
                    ObjectNode ext = (ObjectNode) Json.MAPPER.readTree(Fixtures.callControl("seed-000-extension.json"));
                    ext.put("Number", String.valueOf(n++));
                    ext.put("UserStatus", userStatus);
                    ArrayNode props = ext.putArray("Properties");
                    props.add("CHATSTATUS=" + chat + "(String) [0-Online, 1-Away, 2-Do Not Disturb, 3-Invisible, 4-Offline]");
                    ArrayNode conns = ext.putArray("ActiveConnections");
                    for (int c = 0; c < connections; c++) {
                        conns.addObject().put("ID", c);
                    }
                    all.add(ext);
                }
            }
        }
        List<ExtensionPresence> out = translator.translate(Json.MAPPER.writeValueAsBytes(all), NOW);
        assertEquals(all.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            ObjectNode ext = (ObjectNode) all.get(i);
            boolean seedRule = ext.get("UserStatus").asText().equals("Available")
                    && ext.get("Properties").get(0).asText().startsWith("CHATSTATUS=0(")
                    && ext.get("ActiveConnections").size() == 0;
            ExtensionPresence p = out.get(i);
            assertEquals(seedRule, p.availability() == Availability.AVAILABLE, () -> ext + " -> " + p);
            assertEquals(p.reasons().isEmpty(), p.availability() == Availability.AVAILABLE);
        }
    }

    @Test
    void readsAnArrayLenientlyInPayloadOrder() {
        List<ExtensionPresence> out = translator.translate(Fixtures.callControl("several.json"), NOW);
        assertEquals(List.of("201", "202", "203", "204", "205"), out.stream().map(ExtensionPresence::extension).toList());

        assertEquals(Availability.AVAILABLE, out.get(0).availability());

        ExtensionPresence bob = out.get(1); // strings for numbers and booleans, CHATSTATUS=1, queues, ringing
        assertTrue(bob.enabled());
        assertEquals(Registration.REGISTERED, bob.registration());
        assertEquals(ChatStatus.AWAY, bob.chat());
        assertEquals(List.of("800", "801"), bob.queues());
        assertEquals(AgentState.LOGGED_IN, bob.agent());
        assertEquals(LineState.RINGING, bob.line());
        assertEquals(1, bob.activeCalls());
        assertEquals(Availability.BUSY, bob.availability());
        assertEquals(List.of(Reason.RINGING, Reason.CHAT_AWAY), bob.reasons());
        assertEquals("true", bob.vendorStatus().get("IsRegistered"));
        assertEquals("1", bob.vendorStatus().get("QueueStatus"));
        assertEquals("800,801", bob.vendorStatus().get("LOGGED_IN_QUEUES"));

        ExtensionPresence carol = out.get(2); // CHATSTATUS=9, not registered, Custom 1
        assertEquals(ChatStatus.UNKNOWN, carol.chat());
        assertEquals("9", carol.vendorStatus().get("CHATSTATUS"));
        assertEquals(Presence.CUSTOM, carol.presence());
        assertEquals("Custom 1", carol.presenceLabel());
        assertEquals(Registration.NOT_REGISTERED, carol.registration());
        assertEquals(Availability.OFFLINE, carol.availability());
        assertEquals(List.of(Reason.NOT_REGISTERED, Reason.PROFILE_CUSTOM, Reason.UNRECOGNISED_VENDOR_VALUE), carol.reasons(),
                "CHATSTATUS=9 is not recognised");
        assertEquals(Set.of(Dimension.CHAT), carol.unrecognised());
        assertFalse(carol.acceptsCalls());

        ExtensionPresence dave = out.get(3); // only Number and Name
        assertEquals(Presence.UNKNOWN, dave.presence());
        assertNull(dave.presenceLabel());
        assertEquals(ChatStatus.UNKNOWN, dave.chat());
        assertEquals(LineState.UNKNOWN, dave.line());
        assertEquals(Registration.UNKNOWN, dave.registration());
        assertEquals(Availability.UNKNOWN, dave.availability());
        assertTrue(dave.vendorStatus().isEmpty(), dave.vendorStatus()::toString);

        ExtensionPresence eve = out.get(4); // disabled, chat DND, unknown profile
        assertFalse(eve.enabled());
        assertEquals(ChatStatus.DND, eve.chat());
        assertEquals(Presence.UNKNOWN, eve.presence());
        assertEquals(Set.of(Dimension.PRESENCE), eve.unrecognised(), "a set but unrecognised profile is marked, never available");
        assertEquals("Weekend Mode", eve.presenceLabel());
        assertEquals("  Weekend Mode ", eve.vendorStatus().get("CurrentProfile"));
        assertEquals(Availability.OFFLINE, eve.availability());
        assertEquals(List.of(Reason.DISABLED, Reason.CHAT_DND, Reason.UNRECOGNISED_VENDOR_VALUE), eve.reasons());
    }

    @Test
    void ignoringChatStatusMakesSeed000Available() {
        ThreeCxCallControlTranslator ignoring =
                new ThreeCxCallControlTranslator("hq-3cx", ThreeCxProfileMapping.defaults(), true);
        ExtensionPresence p = ignoring.translate(Fixtures.callControl("seed-000-extension.json"), NOW).get(0);
        assertEquals(ChatStatus.UNKNOWN, p.chat());
        assertEquals("4", p.vendorStatus().get("CHATSTATUS"), "the raw value is still kept for audit");
        assertEquals(Availability.AVAILABLE, p.availability());
    }

    @Test
    void customProfileMappedAsAvailableIsAvailable() throws Exception {
        ObjectNode ext = (ObjectNode) Json.MAPPER.readTree(Fixtures.callControl("available.json"));
        ext.put("CurrentProfile", "Custom 1");
        byte[] payload = Json.MAPPER.writeValueAsBytes(ext);

        ExtensionPresence byDefault = translator.translate(payload, NOW).get(0);
        assertEquals(Availability.AWAY, byDefault.availability());
        assertEquals(List.of(Reason.PROFILE_CUSTOM), byDefault.reasons());

        ThreeCxCallControlTranslator custom = new ThreeCxCallControlTranslator("hq-3cx",
                ThreeCxProfileMapping.fromOptions("AVAILABLE", null), false);
        ExtensionPresence p = custom.translate(payload, NOW).get(0);
        assertEquals(Presence.AVAILABLE, p.presence());
        assertEquals("Custom 1", p.presenceLabel());
        assertEquals(Availability.AVAILABLE, p.availability());
    }

    @Test
    void connectionStatusRefinesTheLineAndNumbersAsStringsAreRead() {
        List<ExtensionPresence> out = translator.translate(("[{\"Number\":301,\"IsRegistered\":1,"
                + "\"ActiveConnections\":[{\"Status\":\"Hold\"},{\"Status\":\"Connected\"}]},"
                + "{\"Number\":\"302\",\"IsRegistered\":\"false\",\"Enabled\":\"false\",\"ActiveConnections\":\"0\"}]")
                .getBytes(StandardCharsets.UTF_8), NOW);
        assertEquals("301", out.get(0).extension());
        assertEquals(LineState.TALKING, out.get(0).line());
        assertEquals(2, out.get(0).activeCalls());
        assertEquals(Registration.REGISTERED, out.get(0).registration());
        assertEquals(LineState.IDLE, out.get(1).line());
        assertFalse(out.get(1).enabled());
        assertEquals(Registration.NOT_REGISTERED, out.get(1).registration());
    }

    @Test
    void truncatedJsonIsAPayloadError() {
        PayloadException e = fails(translator, Fixtures.callControl("truncated.json"));
        assertTrue(e.getMessage().startsWith("3CX Call Control payload: truncated JSON"), e.getMessage());
    }

    @Test
    void htmlInsteadOfJsonIsAPayloadError() {
        PayloadException e = fails(translator, Fixtures.callControl("not-json.html"));
        assertTrue(e.getMessage().startsWith("3CX Call Control payload: malformed JSON (line 1, column 1): Unexpected character"),
                e.getMessage());
    }

    @Test
    void trailingGarbageIsAPayloadError() {
        PayloadException e = fails("{\"Number\":\"201\"} {\"Number\":\"202\"}");
        assertTrue(e.getMessage().startsWith("3CX Call Control payload: malformed JSON"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void emptyBodyIsAPayloadError(String body) {
        PayloadException e = fails(body);
        assertTrue(e.getMessage().startsWith("3CX Call Control payload: empty body"), e.getMessage());
        assertThrows(PayloadException.class, () -> translator.translate(null, NOW));
    }

    @Test
    void wrongTopLevelIsAPayloadError() {
        PayloadException e = fails(translator, Fixtures.callControl("top-level-string.json"));
        assertEquals("3CX Call Control payload: top level is a string, expected an extension object or an array of them",
                e.getMessage());
        assertEquals("3CX Call Control payload: top level is a number, expected an extension object or an array of them",
                fails("42").getMessage());
    }

    @Test
    void elementWithoutNumberIsNamed() {
        PayloadException e = fails(translator, Fixtures.callControl("element-without-number.json"));
        assertEquals("3CX Call Control payload: element 3 has no Number", e.getMessage());
        assertEquals("3CX Call Control payload: the extension object has no Number",
                fails("{\"Name\":\"x\",\"Number\":\"  \"}").getMessage());
        assertEquals("3CX Call Control payload: element 0 has no Number",
                fails("[{\"Number\":{\"x\":1}}]").getMessage());
    }

    @Test
    void elementThatIsNotAnObjectIsNamed() {
        assertEquals("3CX Call Control payload: element 1 is a string, expected an extension object",
                fails("[{\"Number\":\"201\"}, \"202\"]").getMessage());
        assertEquals("3CX Call Control payload: element 0 is null, expected an extension object",
                fails("[null]").getMessage());
    }

    @Test
    void repeatedNumberIsAPayloadError() {
        assertEquals("3CX Call Control payload: element 2 repeats Number 201 of element 0",
                fails("[{\"Number\":\"201\"},{\"Number\":\"202\"},{\"Number\":201}]").getMessage());
    }

    @Test
    void emptyArrayIsNoExtensions() {
        assertEquals(List.of(), translator.translate("[]".getBytes(StandardCharsets.UTF_8), NOW));
    }
}
