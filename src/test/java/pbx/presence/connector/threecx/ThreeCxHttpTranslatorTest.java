package pbx.presence.connector.threecx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pbx.presence.model.Dimension;
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

import java.time.Instant;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreeCxHttpTranslatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:03.120Z");

    private final ThreeCxHttpTranslator translator = new ThreeCxHttpTranslator("branch-3cx", ThreeCxProfileMapping.defaults());

    /** Builds a payload from fixture names: ext, showstatus fixture, dnregs fixture, … */
    private static ThreeCxHttpPayload payload(String showAllCalls, String... extStatusRegs) {
        Map<String, String> status = new LinkedHashMap<>();
        Map<String, String> regs = new LinkedHashMap<>();
        for (int i = 0; i < extStatusRegs.length; i += 3) {
            status.put(extStatusRegs[i], Fixtures.http(extStatusRegs[i + 1]));
            regs.put(extStatusRegs[i], Fixtures.http(extStatusRegs[i + 2]));
        }
        return new ThreeCxHttpPayload(Fixtures.http(showAllCalls), status, regs);
    }

    private List<ExtensionPresence> translate(ThreeCxHttpPayload payload) {
        return translator.translate(payload, NOW);
    }

    @Test
    void seedCallLineLeadingSpaceStatusAndARegistration() {
        List<ExtensionPresence> out = translate(payload("showallcalls-seed.txt",
                "201", "showstatus-available.txt", "dnregs-one.txt",
                "202", "showstatus-available.txt", "dnregs-one.txt"));
        ExtensionPresence talking = out.get(0);
        assertEquals("branch-3cx", talking.source());
        assertEquals("3cx-http", talking.vendor());
        assertEquals("201", talking.extension());
        assertEquals(Presence.AVAILABLE, talking.presence());
        assertEquals("Available", talking.presenceLabel());
        assertEquals(ChatStatus.UNKNOWN, talking.chat());
        assertEquals(AgentState.UNKNOWN, talking.agent());
        assertEquals(LineState.TALKING, talking.line());
        assertEquals(1, talking.activeCalls());
        assertEquals(Registration.REGISTERED, talking.registration());
        assertEquals(List.of(new Device("1", "Yealink SIP-T46S 66.86.0.15", true, null, null)), talking.devices());
        assertEquals(Availability.BUSY, talking.availability());
        assertEquals(List.of(Reason.ON_CALL), talking.reasons());
        assertFalse(talking.acceptsCalls());
        assertEquals("Available", talking.vendorStatus().get("CURRENT_STATUS"));
        assertEquals("1-sip:201@192.168.10.51:5060;rinstance=6d8f0a2b-Yealink SIP-T46S 66.86.0.15",
                talking.vendorStatus().get("dnregs"));
        assertEquals(List.of("ID=98741:CCID=1:S=Connected:DN=201:EP=+4930123456:REC=Stop"),
                talking.vendorStatus().get("calls"));
        assertEquals(NOW, talking.observedAt());

        ExtensionPresence idle = out.get(1);
        assertEquals(LineState.IDLE, idle.line());
        assertEquals(0, idle.activeCalls());
        assertEquals(List.of(), idle.vendorStatus().get("calls"));
        assertEquals(Availability.AVAILABLE, idle.availability());
        assertTrue(idle.acceptsCalls());
    }

    @Test
    void colonSeparatedCallsCountPerDnAndTakeTheBusiestState() {
        List<ExtensionPresence> out = translate(payload("showallcalls-colon.txt",
                "201", "showstatus-available.txt", "dnregs-one.txt",
                "202", "showstatus-available.txt", "dnregs-one.txt",
                "203", "showstatus-available.txt", "dnregs-one.txt",
                "204", "showstatus-available.txt", "dnregs-one.txt"));
        assertEquals(LineState.TALKING, out.get(0).line(), "talking beats the held call");
        assertEquals(2, out.get(0).activeCalls());
        assertEquals(LineState.RINGING, out.get(1).line());
        assertEquals(List.of(Reason.RINGING), out.get(1).reasons());
        assertEquals(LineState.DIALING, out.get(2).line());
        assertEquals(List.of(Reason.DIALING), out.get(2).reasons());
        assertEquals(LineState.IDLE, out.get(3).line());
    }

    @Test
    void semicolonSeparatedCallsWithQueueFields() {
        List<ExtensionPresence> out = translate(payload("showallcalls-semicolon.txt",
                "201", "showstatus-available.txt", "dnregs-one.txt",
                "202", "showstatus-available.txt", "dnregs-one.txt",
                "204", "showstatus-available.txt", "dnregs-one.txt"));
        assertEquals(LineState.TALKING, out.get(0).line());
        assertEquals(List.of("ID=98741;CCID=1;S=Connected;DN=201;EP=+4930123456;REC=Stop;Queue_Name=Support;Queue_Nummer=800"),
                out.get(0).vendorStatus().get("calls"));
        assertEquals(LineState.RINGING, out.get(1).line(), "Alerting is ringing");
        assertEquals(LineState.BUSY, out.get(2).line(), "an undocumented state is a call of unknown kind");
        assertEquals(1, out.get(2).activeCalls());
        assertEquals(List.of(Reason.ON_CALL, Reason.UNRECOGNISED_VENDOR_VALUE), out.get(2).reasons());
        assertFalse(out.get(2).acceptsCalls());
    }

    @Test
    void htmlWrappedBodies() {
        List<ExtensionPresence> out = translate(payload("showallcalls-html.html",
                "201", "showstatus-out-of-office.html", "dnregs-two.html",
                "203", "showstatus-away.txt", "dnregs-one.txt"));
        ExtensionPresence p = out.get(0);
        assertEquals(LineState.TALKING, p.line());
        assertEquals(Presence.OUT_OF_OFFICE, p.presence());
        assertEquals("Out of office", p.presenceLabel());
        assertEquals(List.of(Reason.ON_CALL, Reason.PROFILE_OUT_OF_OFFICE), p.reasons());
        assertEquals(List.of(new Device("3", "3CXPhone for Windows 16.0.8.25", true, null, null),
                new Device("4", "Cisco-SPA504G-7.6.2", true, null, null)), p.devices());
        assertEquals("3-sip:202@pbx-gw-1.example.local:5062;transport=tcp-3CXPhone for Windows 16.0.8.25\n"
                + "4-sip:202@10.0.0.77:5060-Cisco-SPA504G-7.6.2", p.vendorStatus().get("dnregs"));

        ExtensionPresence held = out.get(1);
        assertEquals(LineState.HOLD, held.line(), "OnHold");
        assertEquals(Presence.AWAY, held.presence());
        assertEquals(List.of(Reason.ON_HOLD, Reason.PROFILE_AWAY), held.reasons());
    }

    @ParameterizedTest
    @ValueSource(strings = {"showallcalls-empty.txt", "showallcalls-empty.html"})
    void emptyShowAllCallsMeansNoCalls(String fixture) {
        ExtensionPresence p = translate(payload(fixture, "201", "showstatus-available.txt", "dnregs-one.txt")).get(0);
        assertEquals(LineState.IDLE, p.line());
        assertEquals(0, p.activeCalls());
        assertEquals(Availability.AVAILABLE, p.availability());
    }

    @Test
    void outOfOfficeIsAwayButStillAcceptsCalls() {
        ExtensionPresence p = translate(payload("showallcalls-empty.txt",
                "201", "showstatus-out-of-office.html", "dnregs-one.txt")).get(0);
        assertEquals(Availability.AWAY, p.availability());
        assertEquals(List.of(Reason.PROFILE_OUT_OF_OFFICE), p.reasons());
        assertTrue(p.acceptsCalls());
    }

    @Test
    void errorOrZeroDnregsIsNotRegistered() {
        List<ExtensionPresence> out = translate(payload("showallcalls-empty.txt",
                "201", "showstatus-available.txt", "dnregs-error.txt",
                "202", "showstatus-available.txt", "dnregs-zero.txt"));
        for (ExtensionPresence p : out) {
            assertEquals(Registration.NOT_REGISTERED, p.registration());
            assertEquals(List.of(), p.devices());
            assertEquals(Availability.OFFLINE, p.availability());
            assertEquals(List.of(Reason.NOT_REGISTERED), p.reasons());
            assertFalse(p.acceptsCalls());
        }
        assertEquals("error", out.get(0).vendorStatus().get("dnregs"));
    }

    @Test
    void customAndUnknownProfiles() {
        ThreeCxHttpTranslator custom1Available = new ThreeCxHttpTranslator("b", new ThreeCxProfileMapping(Presence.AVAILABLE, Presence.CUSTOM));
        ThreeCxHttpPayload payload = payload("showallcalls-empty.txt",
                "201", "showstatus-custom1.txt", "dnregs-one.txt",
                "202", "showstatus-custom2.txt", "dnregs-one.txt",
                "203", "showstatus-unknown-profile.txt", "dnregs-one.txt");
        List<ExtensionPresence> out = custom1Available.translate(payload, NOW);
        assertEquals(Presence.AVAILABLE, out.get(0).presence());
        assertEquals("Custom 1", out.get(0).presenceLabel());
        assertEquals(Availability.AVAILABLE, out.get(0).availability());
        assertEquals(Presence.CUSTOM, out.get(1).presence());
        assertEquals(List.of(Reason.PROFILE_CUSTOM), out.get(1).reasons());
        assertEquals(Presence.UNKNOWN, out.get(2).presence());
        assertEquals(Set.of(Dimension.PRESENCE), out.get(2).unrecognised());
        assertEquals("Feierabend", out.get(2).presenceLabel());
        assertEquals("Feierabend", out.get(2).vendorStatus().get("CURRENT_STATUS"));
        assertEquals(Availability.AWAY, out.get(2).availability(),
                "a profile that is set but unrecognised must not pass for AVAILABLE (seed 000's trap)");
        assertEquals(List.of(Reason.UNRECOGNISED_VENDOR_VALUE), out.get(2).reasons());
        assertTrue(out.get(2).acceptsCalls(), "a profile does not decide whether calls ring");
    }

    @Test
    void emptyProfileNameIsUnknownPresence() {
        ThreeCxHttpPayload payload = new ThreeCxHttpPayload("", Map.of("201", "    CURRENT_STATUS=   "),
                Map.of("201", "error"));
        ExtensionPresence p = translator.translate(payload, NOW).get(0);
        assertEquals(Presence.UNKNOWN, p.presence());
        assertNull(p.presenceLabel());
        assertEquals("", p.vendorStatus().get("CURRENT_STATUS"));
    }

    @Test
    void recordsComeOutInConfiguredOrder() {
        List<ExtensionPresence> out = translate(payload("showallcalls-colon.txt",
                "305", "showstatus-available.txt", "dnregs-error.txt",
                "201", "showstatus-available.txt", "dnregs-error.txt",
                "110", "showstatus-available.txt", "dnregs-error.txt"));
        assertEquals(List.of("305", "201", "110"), out.stream().map(ExtensionPresence::extension).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"showstatus-idle.txt", "showstatus-empty.txt", "showstatus-garbage.html"})
    void showstatusThatIsNotCurrentStatusFailsNamingTheExtensionAndPath(String fixture) {
        PayloadException e = assertThrows(PayloadException.class, () -> translate(payload("showallcalls-empty.txt",
                "201", "showstatus-available.txt", "dnregs-one.txt",
                "202", fixture, "dnregs-one.txt")));
        assertTrue(e.getMessage().startsWith("3CX HTTP payload: extension 202: GET /showstatus/202 answered "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(", expected 'CURRENT_STATUS=<profile>'"), e.getMessage());
    }

    @Test
    void idleShowstatusMessage() {
        PayloadException e = assertThrows(PayloadException.class, () -> translate(payload("showallcalls-empty.txt",
                "201", "showstatus-idle.txt", "dnregs-one.txt")));
        assertEquals("3CX HTTP payload: extension 201: GET /showstatus/201 answered 'idle', expected 'CURRENT_STATUS=<profile>'",
                e.getMessage());
    }

    @Test
    void garbageDnregsFailsNamingTheExtensionAndPath() {
        PayloadException e = assertThrows(PayloadException.class, () -> translate(payload("showallcalls-empty.txt",
                "201", "showstatus-available.txt", "dnregs-garbage.txt")));
        assertEquals("3CX HTTP payload: extension 201: GET /dnregs/201 answered 'idle', "
                + "expected '{id}-{contact}-{userAgent}' or 'error'", e.getMessage());
    }

    @Test
    void garbageShowAllCallsFailsNamingThePathAndLine() {
        PayloadException e = assertThrows(PayloadException.class, () -> translate(payload("showallcalls-garbage.txt",
                "201", "showstatus-available.txt", "dnregs-one.txt")));
        assertEquals("3CX HTTP payload: GET /showallcalls line 1 is not a call (expected ID=..:S=..:DN=..): "
                + "'The operation has timed out'", e.getMessage());
        PayloadException noDn = assertThrows(PayloadException.class, () -> translate(payload("showallcalls-no-dn.txt",
                "201", "showstatus-available.txt", "dnregs-one.txt")));
        assertEquals("3CX HTTP payload: GET /showallcalls line 1 has no DN: "
                + "'ID=98770:CCID=1:S=Connected:EP=+4930123456:REC=Stop'", noDn.getMessage());
    }

    @Test
    void payloadNeedsTheSameExtensionsForBothMaps() {
        assertThrows(IllegalArgumentException.class,
                () -> new ThreeCxHttpPayload("", Map.of("201", "x", "202", "y"), Map.of("201", "z")));
        assertThrows(NullPointerException.class, () -> new ThreeCxHttpPayload("", Map.of("201", "x"), null));
        assertEquals("", new ThreeCxHttpPayload(null, Map.of(), Map.of()).showAllCalls());
    }
}
