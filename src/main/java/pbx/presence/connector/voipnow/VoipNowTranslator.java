package pbx.presence.connector.voipnow;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.Device;
import pbx.presence.model.Dimension;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.connector.ExtensionNumbers;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.UnknownValues;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Translates one poll of VoipNow's {@code GET /uapi/extensions/{userId}/{extension}/presence} (seed
 * 001, VENDORS.md §4) into canonical records. A pure function: no I/O, no clock (besides
 * {@link UnknownValues} reporting an undocumented value once).
 *
 * <table>
 *   <caption>Mapping</caption>
 *   <tr><th>VoipNow</th><th>canonical</th></tr>
 *   <tr><td>{@code extension}</td><td>{@code extension} (required)</td></tr>
 *   <tr><td>{@code status} 1 / 2 / 3 / 0</td><td>{@code line} IDLE / RINGING / BUSY / UNKNOWN</td></tr>
 *   <tr><td>{@code registration[]} element</td><td>one {@link Device}: {@code agent} → userAgent,
 *       {@code expire} → expiresAt, {@code registration} 1 → online, -1/-2 → offline, 2 → not known;
 *       no device for registration 0 or an undocumented code (nothing known about it)</td></tr>
 *   <tr><td>{@code registration[].registration} over all devices</td><td>{@code registration}, see
 *       {@link VoipNowRegistration#aggregate}</td></tr>
 * </table>
 * The API carries no user-chosen presence, DND, name or enabled flag: presence stays UNKNOWN, dnd
 * null, enabled true. {@code vendorStatus} keeps {@code status} and {@code registration} (a list of
 * the raw {@code {registration, status, expire, agent}} objects) exactly as sent, numbers as
 * numbers and strings as strings. An undocumented {@code status} or {@code registration} code maps
 * to UNKNOWN, is marked unrecognised (LINE, REGISTRATION) and reported once through
 * {@link UnknownValues}: never AVAILABLE, and an unknown status code never accepts calls.
 *
 * <p>An entry without {@code extension}, a {@code registration} that is neither an array of objects
 * nor one object, and an extension that occurs twice (on one page or across pages) throw
 * {@link PayloadException} naming the page and entry. Immutable and thread-safe.
 */
public final class VoipNowTranslator {

    public static final String VENDOR = "voipnow";

    private final String sourceId;

    public VoipNowTranslator(String sourceId) {
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
    }

    /**
     * @param payload    the pages one poll fetched
     * @param observedAt when the poll saw them
     * @return one record per extension, in page order
     * @throws PayloadException when an entry cannot be translated or an extension repeats
     */
    public List<ExtensionPresence> translate(VoipNowPayload payload, Instant observedAt) {
        Objects.requireNonNull(payload, "payload");
        List<ExtensionPresence> out = new ArrayList<>(payload.entryCount());
        Map<String, String> seen = new HashMap<>();
        for (VoipNowPage page : payload.pages()) {
            List<JsonNode> entries = page.entries();
            for (int i = 0; i < entries.size(); i++) {
                String where = page.label() + " entry[" + i + "]";
                ExtensionPresence p = entry(entries.get(i), where, observedAt);
                String before = seen.putIfAbsent(p.extension(), where);
                if (before != null) {
                    throw new PayloadException("VoipNow presence: extension " + p.extension() + " occurs twice, in "
                            + before + " and in " + where + " (the server's paging repeated or shifted entries)");
                }
                out.add(p);
            }
        }
        return out;
    }

    private ExtensionPresence entry(JsonNode e, String where, Instant observedAt) {
        String extension = ExtensionNumbers.read(e.get("extension"), "VoipNow presence (" + where + ")");
        if (extension == null) {
            throw new PayloadException("VoipNow presence (" + where + "): no extension"
                    + (e.has("extension") ? " (it is " + VoipNowPage.describe(e.get("extension")) + ")" : ""));
        }
        ExtensionPresence.Builder b = ExtensionPresence.builder(sourceId, VENDOR, extension).observedAt(observedAt);
        b.line(line(e.get("status"), b));
        registrations(e.get("registration"), where, b);
        return b.build();
    }

    private LineState line(JsonNode status, ExtensionPresence.Builder b) {
        Object raw = LenientJson.raw(status);
        if (raw == null) {
            return LineState.UNKNOWN;
        }
        b.vendorStatus("status", raw);
        Integer code = LenientJson.intValue(status);
        VoipNowStatus s = code == null ? null : VoipNowStatus.of(code);
        if (s == null) {
            UnknownValues.unrecognised(b, Dimension.LINE, sourceId, VENDOR, "status", raw);
            return LineState.UNKNOWN;
        }
        return s.line;
    }

    private void registrations(JsonNode registration, String where, ExtensionPresence.Builder b) {
        if (!LenientJson.present(registration)) {
            return; // registration stays UNKNOWN: the API did not say
        }
        List<JsonNode> elements;
        if (registration.isObject()) {
            elements = List.of(registration);
        } else if (registration.isArray()) {
            elements = new ArrayList<>(registration.size());
            registration.forEach(elements::add);
        } else {
            throw new PayloadException("VoipNow presence (" + where + "): registration is "
                    + VoipNowPage.describe(registration) + ", expected an array of {registration, status, expire, agent}");
        }
        List<VoipNowRegistration> codes = new ArrayList<>(elements.size());
        List<Map<String, Object>> raw = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            JsonNode r = elements.get(i);
            if (!r.isObject()) {
                throw new PayloadException("VoipNow presence (" + where + "): registration[" + i + "] is "
                        + VoipNowPage.describe(r) + ", expected an object {registration, status, expire, agent}");
            }
            VoipNowRegistration code = code(r.get("registration"), b);
            codes.add(code);
            raw.add(rawFields(r));
            if (code != VoipNowRegistration.UNKNOWN) {
                // a device the PBX knows nothing about would count as "something known" in the rule
                // and turn an all-unknown extension AVAILABLE; its raw fields stay in vendorStatus
                b.device(new Device(null, LenientJson.text(r.get("agent")), code.deviceOnline, null, instant(r.get("expire"))));
            }
        }
        b.registration(VoipNowRegistration.aggregate(codes));
        b.vendorStatus("registration", Collections.unmodifiableList(raw));
    }

    private VoipNowRegistration code(JsonNode registration, ExtensionPresence.Builder b) {
        Object raw = LenientJson.raw(registration);
        if (raw == null) {
            return VoipNowRegistration.UNKNOWN;
        }
        Integer code = LenientJson.intValue(registration);
        VoipNowRegistration r = code == null ? null : VoipNowRegistration.of(code);
        if (r == null) {
            UnknownValues.unrecognised(b, Dimension.REGISTRATION, sourceId, VENDOR, "registration", raw);
            return VoipNowRegistration.UNKNOWN;
        }
        return r;
    }

    private static Map<String, Object> rawFields(JsonNode r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key : new String[]{"registration", "status", "expire", "agent"}) {
            Object v = LenientJson.raw(r.get(key));
            if (v != null) {
                m.put(key, v);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** RFC 3339 as in the seed ({@code 2011-02-10T15:10:55Z}), with or without an offset; anything else is null (raw kept). */
    private static Instant instant(JsonNode expire) {
        String t = LenientJson.text(expire);
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "VoipNowTranslator[" + sourceId + "]";
    }
}
