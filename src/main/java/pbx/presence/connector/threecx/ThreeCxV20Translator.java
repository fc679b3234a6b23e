package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.ExtensionNumbers;
import pbx.presence.connector.LenientJson;
import pbx.presence.model.AgentState;
import pbx.presence.model.ChatStatus;
import pbx.presence.model.Dimension;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Registration;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.UnknownValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Translates one poll of a 3CX v20 PBX (vendor {@code 3cx-v20}, VENDORS.md §3) into canonical
 * records, one per user, in page order. A pure function of the payload and the source's options.
 *
 * <p>Per user of {@code /xapi/v1/Users}, joined by {@code Number} to the {@code dn} of
 * {@code /callcontrol}:
 * <ul>
 *   <li>{@code Number} (required) → extension; {@code Id} → extensionId;
 *       {@code FirstName + " " + LastName} → name (either alone when the other is missing)</li>
 *   <li>{@code Enabled} → enabled (missing → enabled)</li>
 *   <li>{@code CurrentProfileName} → presence through {@link ThreeCxProfileMapping} (Available,
 *       Away, OutOfOffice; Available2 → {@code custom1}, OutOfOffice2 → {@code custom2}, default
 *       CUSTOM, which counts as away — the custom meaning is ASSUMED, hence configurable); the name
 *       as sent → presenceLabel. A name the mapping does not know is UNKNOWN, marked unrecognised
 *       (never available) and reported once through {@link UnknownValues}</li>
 *   <li>the {@code ForwardingProfiles[]} entry whose {@code Name} is the current profile:
 *       {@code AcceptMultipleCalls} → callWaiting (missing → null, unknown)</li>
 *   <li>{@code IsRegistered} → REGISTERED / NOT_REGISTERED (missing → UNKNOWN)</li>
 *   <li>call control {@code devices[]} → devices ({@code device_id}, {@code user_agent}; online
 *       left null because registration is IsRegistered's job)</li>
 *   <li>call control {@code participants[]} → activeCalls (their count) and line: Connected →
 *       TALKING, Ringing → RINGING, Dialing → DIALING, the busiest of several; none → IDLE. A status
 *       nobody documented is reported once and read through {@link ThreeCxLineStates} (Hold →
 *       HOLD, otherwise BUSY: a call of unknown kind is still a call). A user whose DN call control
 *       does not list → line UNKNOWN, no devices: the service principal cannot see that DN</li>
 *   <li>chat and agent UNKNOWN: these Users fields carry neither</li>
 * </ul>
 * {@code vendorStatus} keeps {@code Enabled}, {@code IsRegistered}, {@code CurrentProfileName},
 * {@code CurrentProfileCustomName}, {@code AcceptMultipleCalls}, {@code dnType} and
 * {@code participants} (the raw statuses), each only when sent.
 *
 * <p>Malformed, truncated or wrong-typed bodies, a user without {@code Number}, and a Number on two
 * pages (or twice on one) throw {@link PayloadException} starting {@value ThreeCxV20Json#WHAT}, e.g.
 * {@code "3CX v20 payload: Users page 3, user 7: repeats Number 201 of Users page 1, user 0"}.
 * Immutable and thread-safe.
 */
public final class ThreeCxV20Translator {

    public static final String VENDOR = "3cx-v20";

    /** The participant statuses VENDORS.md documents; others are reported once. */
    private static final Set<String> DOCUMENTED_STATUSES = Set.of("dialing", "ringing", "connected");

    private final String sourceId;
    private final ThreeCxProfileMapping mapping;

    public ThreeCxV20Translator(String sourceId, ThreeCxProfileMapping mapping) {
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    /**
     * @param payload    the poll's raw bodies
     * @param observedAt when the poll saw them
     * @return one record per user, in page order
     * @throws PayloadException when a body cannot be translated
     */
    public List<ExtensionPresence> translate(ThreeCxV20Payload payload, Instant observedAt) {
        Objects.requireNonNull(payload, "payload");
        Map<String, ThreeCxV20CallControl.Dn> dns = ThreeCxV20CallControl.read(payload.callControl());
        List<ExtensionPresence> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int p = 0; p < payload.userPages().size(); p++) {
            ThreeCxV20UsersPage page = ThreeCxV20UsersPage.read(payload.userPages().get(p), p + 1);
            for (int i = 0; i < page.users().size(); i++) {
                String which = ThreeCxV20UsersPage.name(page.number()) + ", user " + i;
                JsonNode user = page.users().get(i);
                if (!user.isObject()) {
                    throw ThreeCxV20Json.problem(which, "is " + LenientJson.kind(user) + ", expected a user object");
                }
                String number = ExtensionNumbers.read(user.get("Number"), ThreeCxV20Json.WHAT + ": " + which);
                if (number == null) {
                    throw ThreeCxV20Json.problem(which, "has no Number");
                }
                String before = seen.putIfAbsent(number, which);
                if (before != null) {
                    throw ThreeCxV20Json.problem(which, "repeats Number " + number + " of " + before);
                }
                out.add(user(user, number, which, dns.get(number), observedAt));
            }
        }
        return out;
    }

    private ExtensionPresence user(JsonNode user, String number, String which, ThreeCxV20CallControl.Dn dn,
                                   Instant observedAt) {
        ExtensionPresence.Builder b = ExtensionPresence.builder(sourceId, VENDOR, number)
                .observedAt(observedAt)
                .name(name(user))
                .chat(ChatStatus.UNKNOWN)
                .agent(AgentState.UNKNOWN);
        String id = LenientJson.text(user.get("Id"));
        if (id != null && !id.isEmpty()) {
            b.extensionId(id);
        }

        JsonNode enabled = user.get("Enabled");
        keepRaw(b, "Enabled", enabled);
        Boolean isEnabled = LenientJson.bool(enabled);
        if (isEnabled == null && LenientJson.present(enabled)) {
            UnknownValues.unrecognised(b, Dimension.ENABLED, sourceId, VENDOR, "Enabled", LenientJson.raw(enabled));
        }
        b.enabled(!Boolean.FALSE.equals(isEnabled));

        profile(b, user, which);

        JsonNode registered = user.get("IsRegistered");
        keepRaw(b, "IsRegistered", registered);
        Boolean isRegistered = LenientJson.bool(registered);
        if (isRegistered == null && LenientJson.present(registered)) {
            UnknownValues.unrecognised(b, Dimension.REGISTRATION, sourceId, VENDOR, "IsRegistered", LenientJson.raw(registered));
        }
        b.registration(isRegistered == null ? Registration.UNKNOWN
                : isRegistered ? Registration.REGISTERED : Registration.NOT_REGISTERED);

        callControl(b, dn);
        return b.build();
    }

    /** FirstName + " " + LastName; either alone when the other is missing or blank; null when both are. */
    private static String name(JsonNode user) {
        String first = LenientJson.text(user.get("FirstName"));
        String last = LenientJson.text(user.get("LastName"));
        String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
        return name.isEmpty() ? null : name;
    }

    private void profile(ExtensionPresence.Builder b, JsonNode user, String which) {
        JsonNode current = user.get("CurrentProfileName");
        keepRaw(b, "CurrentProfileName", current);
        String profile = LenientJson.text(current);
        if (profile != null && !profile.isEmpty()) {
            b.presence(mapping.presenceOf(profile)).presenceLabel(profile);
            if (!mapping.recognises(profile)) {
                UnknownValues.unrecognised(b, Dimension.PRESENCE, sourceId, VENDOR, "CurrentProfileName", profile);
            }
        }
        JsonNode profiles = ThreeCxV20Json.optionalArray(user, "ForwardingProfiles", which);
        if (profiles == null || profile == null || profile.isEmpty()) {
            return;
        }
        String wanted = ThreeCxProfileMapping.normalise(profile);
        for (JsonNode fp : profiles) {
            if (fp.isObject() && wanted.equals(normalisedName(fp))) {
                String customName = LenientJson.text(fp.get("CustomName"));
                if (customName != null && !customName.isEmpty()) {
                    b.vendorStatus("CurrentProfileCustomName", customName);
                }
                JsonNode multiple = fp.get("AcceptMultipleCalls");
                keepRaw(b, "AcceptMultipleCalls", multiple);
                b.callWaiting(LenientJson.bool(multiple));
                return;
            }
        }
    }

    private static String normalisedName(JsonNode forwardingProfile) {
        String name = LenientJson.text(forwardingProfile.get("Name"));
        return name == null ? "" : ThreeCxProfileMapping.normalise(name);
    }

    private void callControl(ExtensionPresence.Builder b, ThreeCxV20CallControl.Dn dn) {
        if (dn == null) {
            return; // line stays UNKNOWN, no devices: call control did not list this DN
        }
        if (dn.type() != null) {
            b.vendorStatus("dnType", dn.type());
        }
        b.devices(dn.devices());
        LineState line = LineState.IDLE;
        List<String> statuses = new ArrayList<>(dn.participants().size());
        for (ThreeCxV20CallControl.Participant p : dn.participants()) {
            line = LineState.busier(line, lineOf(b, p.status()));
            statuses.add(p.status() == null ? "" : p.status());
        }
        b.line(line).activeCalls(dn.participants().size()).vendorStatus("participants", List.copyOf(statuses));
    }

    private LineState lineOf(ExtensionPresence.Builder b, String status) {
        if (status != null && !DOCUMENTED_STATUSES.contains(status.toLowerCase(Locale.ROOT))) {
            UnknownValues.unrecognised(b, Dimension.LINE, sourceId, VENDOR, "participant status", status);
        }
        return ThreeCxLineStates.of(status);
    }

    private static void keepRaw(ExtensionPresence.Builder b, String key, JsonNode value) {
        Object raw = LenientJson.raw(value);
        if (raw != null) {
            b.vendorStatus(key, raw);
        }
    }

    @Override
    public String toString() {
        return "ThreeCxV20Translator[" + sourceId + ", " + mapping + "]";
    }
}
