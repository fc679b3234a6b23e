package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.AgentState;
import pbx.presence.model.ChatStatus;
import pbx.presence.model.Dimension;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Registration;
import pbx.presence.connector.ExtensionNumbers;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.UnknownValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Translates 3CX Call Control extension JSON (vendor {@code 3cx-callcontrol}, seed 000) into
 * canonical records. A pure function of the payload bytes and the source's configuration.
 *
 * <p>The payload is one serialised {@code TCX.Configuration.Extension} object or an array of them.
 * Per extension:
 * <ul>
 *   <li>{@code Number} (required) → extension; {@code Name}; {@code Enabled} (missing → enabled)</li>
 *   <li>{@code CurrentProfile} when present, else {@code UserStatus} → presence through
 *       {@link ThreeCxProfileMapping}; the profile name as sent → presenceLabel</li>
 *   <li>{@code Properties} {@code CHATSTATUS} 0 online, 1 away, 2 do not disturb, 3 invisible,
 *       4 offline → chat (UNKNOWN for other values, or when the source ignores chat status)</li>
 *   <li>{@code Properties} {@code LOGGED_IN_QUEUES} (comma separated) → queues; agent LOGGED_IN
 *       when non-empty, else NONE</li>
 *   <li>{@code ActiveConnections} length → activeCalls; line IDLE when empty, else BUSY, or the
 *       state a connection's textual {@code Status} names (Connected → TALKING, …); missing → UNKNOWN</li>
 *   <li>{@code IsRegistered} → REGISTERED / NOT_REGISTERED (missing → UNKNOWN); no device list</li>
 * </ul>
 * Seed 000's rule (available only if UserStatus is Available, CHATSTATUS is 0 and there are no
 * active connections) is not coded here: it falls out of {@link pbx.presence.model.AvailabilityRule}.
 * Numbers and booleans may arrive as strings; unknown values map to UNKNOWN with the raw value
 * kept in {@code vendorStatus} (keys {@code UserStatus}, {@code CurrentProfile}, {@code CHATSTATUS},
 * {@code LOGGED_IN_QUEUES}, {@code IsRegistered}, {@code Enabled}, {@code ActiveConnections} (the
 * count), {@code QueueStatus}, {@code Status}, each only when sent).
 *
 * <p>Malformed, truncated or empty JSON, a top level that is neither an object nor an array, an
 * element that is not an object, an extension without {@code Number} and a Number that occurs twice
 * throw {@link PayloadException} with a message that starts {@value #WHAT} and says what was wrong,
 * e.g. {@code "3CX Call Control payload: element 3 has no Number"} (elements count from 0).
 * Immutable and thread-safe.
 */
public final class ThreeCxCallControlTranslator {

    public static final String VENDOR = "3cx-callcontrol";
    static final String WHAT = "3CX Call Control payload";

    private final String sourceId;
    private final ThreeCxProfileMapping mapping;
    private final boolean ignoreChatStatus;

    public ThreeCxCallControlTranslator(String sourceId, ThreeCxProfileMapping mapping, boolean ignoreChatStatus) {
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.ignoreChatStatus = ignoreChatStatus;
    }

    /** The Properties entries the derivation uses; the others are not parsed. */
    private static final java.util.Set<String> USED_PROPERTIES = java.util.Set.of("CHATSTATUS", "LOGGED_IN_QUEUES");
    /** Compiled once: String.split compiles a character class on every call. */
    private static final Pattern QUEUE_SEPARATOR = Pattern.compile("[,;]");

    /**
     * @param payload the bridge's response body (UTF-8 JSON)
     * @param observedAt when the poll saw it
     * @return one record per extension, in payload order
     * @throws PayloadException when the payload cannot be translated
     */
    public List<ExtensionPresence> translate(byte[] payload, Instant observedAt) {
        JsonNode root = parse(payload);
        if (root.isObject()) {
            return List.of(extension(root, -1, observedAt));
        }
        if (!root.isArray()) {
            throw new PayloadException(WHAT + ": top level is " + LenientJson.kind(root)
                    + ", expected an extension object or an array of them");
        }
        List<ExtensionPresence> out = new ArrayList<>(root.size());
        Map<String, Integer> seen = new HashMap<>(Math.max(16, (int) (root.size() / 0.75f) + 1));
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            if (!element.isObject()) {
                throw new PayloadException(WHAT + ": element " + i + " is " + LenientJson.kind(element)
                        + ", expected an extension object");
            }
            ExtensionPresence p = extension(element, i, observedAt);
            Integer before = seen.putIfAbsent(p.extension(), i);
            if (before != null) {
                throw new PayloadException(WHAT + ": element " + i + " repeats Number " + p.extension()
                        + " of element " + before);
            }
            out.add(p);
        }
        return out;
    }

    /** Only the fields and properties the translation reads (see {@link ThreeCxCallControlJson}). */
    private static JsonNode parse(byte[] payload) {
        return ThreeCxCallControlJson.read(payload, USED_PROPERTIES, WHAT, "an extension object or an array of them");
    }

    /** {@code index} counts elements from 0; -1 for a single extension object. */
    private ExtensionPresence extension(JsonNode ext, int index, Instant observedAt) {
        String number = ExtensionNumbers.read(ext.get("Number"), () -> WHAT + ": " + which(index));
        if (number == null) {
            throw new PayloadException(WHAT + ": " + which(index) + " has no Number");
        }
        ExtensionPresence.Builder b = ExtensionPresence.builder(sourceId, VENDOR, number)
                .name(LenientJson.text(ext.get("Name")))
                .observedAt(observedAt);
        String id = LenientJson.text(firstPresent(ext, "ID", "Id", "id"));
        if (id != null && !id.isEmpty()) {
            b.extensionId(id);
        }

        JsonNode enabled = ext.get("Enabled");
        keepRaw(b, "Enabled", enabled);
        Boolean isEnabled = LenientJson.bool(enabled);
        if (isEnabled == null && LenientJson.present(enabled)) {
            UnknownValues.unrecognised(b, Dimension.ENABLED, sourceId, VENDOR, "Enabled", LenientJson.raw(enabled));
        }
        b.enabled(!Boolean.FALSE.equals(isEnabled));

        presence(b, ext);

        Map<String, String> properties = ThreeCxProperties.read(ext.get("Properties"), USED_PROPERTIES);
        chat(b, properties.get("CHATSTATUS"));
        queues(b, properties.get("LOGGED_IN_QUEUES"));

        line(b, ext.get("ActiveConnections"));

        JsonNode registered = ext.get("IsRegistered");
        keepRaw(b, "IsRegistered", registered);
        Boolean isRegistered = LenientJson.bool(registered);
        if (isRegistered == null && LenientJson.present(registered)) {
            UnknownValues.unrecognised(b, Dimension.REGISTRATION, sourceId, VENDOR, "IsRegistered", LenientJson.raw(registered));
        }
        b.registration(isRegistered == null ? Registration.UNKNOWN
                : isRegistered ? Registration.REGISTERED : Registration.NOT_REGISTERED);

        keepRaw(b, "QueueStatus", ext.get("QueueStatus"));
        keepRaw(b, "Status", ext.get("Status"));
        return b.build();
    }

    /** Names an element for messages; built only when a message needs it. */
    private static String which(int index) {
        return index < 0 ? "the extension object" : "element " + index;
    }

    /** CurrentProfile wins over UserStatus (which only knows Available / Away). */
    private void presence(ExtensionPresence.Builder b, JsonNode ext) {
        JsonNode userStatus = ext.get("UserStatus");
        JsonNode currentProfile = ext.get("CurrentProfile");
        keepRaw(b, "UserStatus", userStatus);
        keepRaw(b, "CurrentProfile", currentProfile);
        String profile = LenientJson.text(currentProfile);
        if (profile == null || profile.isEmpty()) {
            profile = LenientJson.text(userStatus);
        }
        if (profile != null && !profile.isEmpty()) {
            Presence presence = mapping.presenceOf(profile);
            b.presence(presence).presenceLabel(profile);
            // a name this source maps to something is recognised; only UNKNOWN needs the second look
            if (presence == Presence.UNKNOWN && !mapping.recognises(profile)) {
                UnknownValues.unrecognised(b, Dimension.PRESENCE, sourceId, VENDOR,
                        profile.equals(LenientJson.text(currentProfile)) ? "CurrentProfile" : "UserStatus", profile);
            }
        }
    }

    private void chat(ExtensionPresence.Builder b, String chatStatus) {
        if (chatStatus == null) {
            return;
        }
        b.vendorStatus("CHATSTATUS", chatStatus);
        if (ignoreChatStatus) {
            return;
        }
        Integer code = LenientJson.intValue(chatStatus);
        ChatStatus chat = code == null ? ChatStatus.UNKNOWN : switch (code) {
            case 0 -> ChatStatus.ONLINE;
            case 1 -> ChatStatus.AWAY;
            case 2 -> ChatStatus.DND;
            case 3 -> ChatStatus.INVISIBLE;
            case 4 -> ChatStatus.OFFLINE;
            default -> ChatStatus.UNKNOWN;
        };
        if (chat == ChatStatus.UNKNOWN) {
            UnknownValues.unrecognised(b, Dimension.CHAT, sourceId, VENDOR, "CHATSTATUS", chatStatus);
        }
        b.chat(chat);
    }

    private static void queues(ExtensionPresence.Builder b, String loggedInQueues) {
        if (loggedInQueues == null) {
            b.agent(AgentState.NONE);
            return;
        }
        b.vendorStatus("LOGGED_IN_QUEUES", loggedInQueues);
        List<String> queues = Arrays.stream(QUEUE_SEPARATOR.split(loggedInQueues))
                .map(String::strip).filter(q -> !q.isEmpty()).distinct().toList();
        b.queues(queues).agent(queues.isEmpty() ? AgentState.NONE : AgentState.LOGGED_IN);
    }

    private void line(ExtensionPresence.Builder b, JsonNode connections) {
        if (!LenientJson.present(connections)) {
            return; // line stays UNKNOWN: the bridge did not say
        }
        if (connections.isArray()) {
            b.vendorStatus("ActiveConnections", connections.size());
            LineState line = LineState.IDLE;
            for (JsonNode c : connections) {
                String status = c.isObject() && c.get("Status") != null && c.get("Status").isTextual()
                        ? c.get("Status").textValue() : null;
                if (!ThreeCxLineStates.recognises(status)) {
                    UnknownValues.unrecognised(b, Dimension.LINE, sourceId, VENDOR, "ActiveConnections Status", status);
                }
                line = LineState.busier(line, ThreeCxLineStates.of(status));
            }
            b.activeCalls(connections.size()).line(line);
            return;
        }
        Integer count = LenientJson.intValue(connections);
        keepRaw(b, "ActiveConnections", connections);
        if (count != null && count >= 0) {
            b.activeCalls(count).line(count > 0 ? LineState.BUSY : LineState.IDLE);
        } else {
            UnknownValues.unrecognised(b, Dimension.LINE, sourceId, VENDOR, "ActiveConnections", LenientJson.raw(connections));
        }
    }

    private static void keepRaw(ExtensionPresence.Builder b, String key, JsonNode value) {
        Object raw = LenientJson.raw(value);
        if (raw != null) {
            b.vendorStatus(key, raw);
        }
    }

    private static JsonNode firstPresent(JsonNode object, String... names) {
        for (String n : names) {
            JsonNode v = object.get(n);
            if (LenientJson.present(v)) {
                return v;
            }
        }
        return null;
    }
}
