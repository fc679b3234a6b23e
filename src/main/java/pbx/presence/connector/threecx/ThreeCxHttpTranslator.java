package pbx.presence.connector.threecx;

import pbx.presence.model.AgentState;
import pbx.presence.model.ChatStatus;
import pbx.presence.model.Dimension;
import pbx.presence.model.Device;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Registration;
import pbx.presence.connector.ExtensionNumbers;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.UnknownValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Translates one poll of the 3CX HTTP API wrapper (vendor {@code 3cx-http}, seed 002) into canonical
 * records, one per polled extension in configured order. A pure function of the payload and the
 * source's configuration.
 *
 * <ul>
 *   <li>{@code /showstatus/{ext}} {@code CURRENT_STATUS=<profile>} → presence through
 *       {@link ThreeCxProfileMapping}, the profile name as sent → presenceLabel (a name the mapping
 *       does not know: UNKNOWN, raw kept, marked unrecognised through {@link UnknownValues})</li>
 *   <li>{@code /dnregs/{ext}} {@code {id}-{contact}-{userAgent}} lines → devices (online) and
 *       REGISTERED; {@code error}, {@code 0} or an empty body → NOT_REGISTERED, no devices</li>
 *   <li>{@code /showallcalls} lines whose {@code DN} is the extension → activeCalls (distinct call
 *       ids) and line: Connected → TALKING, Ringing/Alerting → RINGING, Dialing → DIALING,
 *       Hold/OnHold → HOLD, anything else → BUSY (and marked unrecognised), the busiest of several
 *       calls; no call → IDLE</li>
 *   <li>chat status UNKNOWN (the text API has none), agent UNKNOWN (not polled), enabled true</li>
 * </ul>
 * {@code vendorStatus} keeps {@code CURRENT_STATUS} (the profile text), {@code dnregs} (the body's
 * text lines joined by '\n') and {@code calls} (the extension's raw call lines).
 *
 * <p>A showstatus body that is not {@code CURRENT_STATUS=…}, a dnregs line that is not a
 * registration and a showallcalls line that is not a call throw {@link PayloadException}; messages
 * start {@value #WHAT} and name the extension and the path, e.g.
 * {@code "3CX HTTP payload: extension 201: GET /showstatus/201 answered 'idle', expected 'CURRENT_STATUS=<profile>'"}.
 * Immutable and thread-safe.
 */
public final class ThreeCxHttpTranslator {

    public static final String VENDOR = "3cx-http";
    static final String WHAT = "3CX HTTP payload";

    private final String sourceId;
    private final ThreeCxProfileMapping mapping;

    public ThreeCxHttpTranslator(String sourceId, ThreeCxProfileMapping mapping) {
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /**
     * @throws PayloadException when a body cannot be read
     */
    public List<ExtensionPresence> translate(ThreeCxHttpPayload payload, Instant observedAt) {
        Objects.requireNonNull(payload, "payload");
        Map<String, List<ThreeCxCall>> callsByDn = new LinkedHashMap<>();
        for (ThreeCxCall call : ThreeCxCall.parseAll(payload.showAllCalls())) {
            callsByDn.computeIfAbsent(call.dn(), dn -> new ArrayList<>()).add(call);
        }
        List<ExtensionPresence> out = new ArrayList<>(payload.statusByExtension().size());
        for (String ext : payload.extensions()) {
            ExtensionNumbers.check(ext, WHAT + ": configured extension");
            out.add(extension(ext, payload.statusByExtension().get(ext), payload.registrationByExtension().get(ext),
                    callsByDn.getOrDefault(ext.strip(), List.of()), observedAt));
        }
        return out;
    }

    private ExtensionPresence extension(String ext, String showStatus, String dnRegs, List<ThreeCxCall> calls,
                                        Instant observedAt) {
        ExtensionPresence.Builder b = ExtensionPresence.builder(sourceId, VENDOR, ext)
                .observedAt(observedAt)
                .chat(ChatStatus.UNKNOWN)
                .agent(AgentState.UNKNOWN);

        String profile = ThreeCxShowStatus.profileName(ext, showStatus);
        b.vendorStatus("CURRENT_STATUS", profile);
        if (!profile.isEmpty()) {
            b.presence(mapping.presenceOf(profile)).presenceLabel(profile);
            if (!mapping.recognises(profile)) {
                UnknownValues.unrecognised(b, Dimension.PRESENCE, sourceId, VENDOR, "CURRENT_STATUS", profile);
            }
        }

        List<ThreeCxDnReg> regs = ThreeCxDnReg.parseAll(ext, dnRegs);
        b.vendorStatus("dnregs", ThreeCxText.text(dnRegs));
        for (ThreeCxDnReg r : regs) {
            b.device(new Device(r.id(), r.userAgent().isEmpty() ? null : r.userAgent(), Boolean.TRUE, null, null));
        }
        b.registration(regs.isEmpty() ? Registration.NOT_REGISTERED : Registration.REGISTERED);

        LineState line = LineState.IDLE;
        Set<String> callIds = new HashSet<>();
        int anonymous = 0;
        List<String> raw = new ArrayList<>(calls.size());
        for (ThreeCxCall c : calls) {
            if (!ThreeCxLineStates.recognises(c.state())) {
                UnknownValues.unrecognised(b, Dimension.LINE, sourceId, VENDOR, "showallcalls S", c.state());
            }
            line = LineState.busier(line, c.lineState());
            if (c.id() == null) {
                anonymous++;
            } else {
                callIds.add(c.id());
            }
            raw.add(c.raw());
        }
        b.line(line).activeCalls(callIds.size() + anonymous).vendorStatus("calls", List.copyOf(raw));
        return b.build();
    }
}
