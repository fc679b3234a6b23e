package pbx.presence.connector.voipnow;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.Device;
import pbx.presence.model.Dimension;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.VendorFields;
import pbx.presence.connector.ExtensionNumbers;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.Rfc3339;
import pbx.presence.connector.UnknownValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
        int total = payload.entryCount();
        List<ExtensionPresence> out = new ArrayList<>(total);
        Set<String> seen = new HashSet<>(Math.max(16, (int) (total / 0.75f) + 1));
        for (VoipNowPage page : payload.pages()) {
            List<JsonNode> entries = page.entries();
            for (int i = 0; i < entries.size(); i++) {
                ExtensionPresence p = entry(entries.get(i), page, i, observedAt);
                if (!seen.add(p.extension())) {
                    throw new PayloadException("VoipNow presence: extension " + p.extension() + " occurs twice, in "
                            + firstPlace(payload, out, p.extension()) + " and in " + where(page, i)
                            + " (the server's paging repeated or shifted entries)");
                }
                out.add(p);
            }
        }
        return out;
    }

    /** An entry's place for messages, e.g. {@code GET /uapi/…/presence?count=20&startIndex=40 entry[3]}; built only for a message. */
    private static String where(VoipNowPage page, int i) {
        return page.label() + " entry[" + i + "]";
    }

    /** Where {@code extension} first occurred: {@code out} holds one record per entry so far, in page order. */
    private static String firstPlace(VoipNowPayload payload, List<ExtensionPresence> out, String extension) {
        int k = 0;
        while (!out.get(k).extension().equals(extension)) {
            k++;
        }
        for (VoipNowPage page : payload.pages()) {
            if (k < page.entries().size()) {
                return where(page, k);
            }
            k -= page.entries().size();
        }
        throw new IllegalStateException("no page holds record " + k);
    }

    private ExtensionPresence entry(JsonNode e, VoipNowPage page, int i, Instant observedAt) {
        JsonNode number = e.get("extension");
        String extension = ExtensionNumbers.read(number, () -> "VoipNow presence (" + where(page, i) + ")");
        if (extension == null) {
            throw new PayloadException("VoipNow presence (" + where(page, i) + "): no extension"
                    + (e.has("extension") ? " (it is " + VoipNowPage.describe(number) + ")" : ""));
        }
        ExtensionPresence.Builder b = ExtensionPresence.builder(sourceId, VENDOR, extension).observedAt(observedAt);
        b.line(line(e.get("status"), b));
        registrations(e.get("registration"), page, i, b);
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

    private void registrations(JsonNode registration, VoipNowPage page, int entry, ExtensionPresence.Builder b) {
        if (!LenientJson.present(registration)) {
            return; // registration stays UNKNOWN: the API did not say
        }
        if (!registration.isObject() && !registration.isArray()) {
            throw new PayloadException("VoipNow presence (" + where(page, entry) + "): registration is "
                    + VoipNowPage.describe(registration) + ", expected an array of {registration, status, expire, agent}");
        }
        // one object is read as an array of one
        int count = registration.isObject() ? 1 : registration.size();
        EnumSet<VoipNowRegistration> codes = EnumSet.noneOf(VoipNowRegistration.class);
        List<Map<String, Object>> raw = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            JsonNode r = registration.isObject() ? registration : registration.get(i);
            if (!r.isObject()) {
                throw new PayloadException("VoipNow presence (" + where(page, entry) + "): registration[" + i + "] is "
                        + VoipNowPage.describe(r) + ", expected an object {registration, status, expire, agent}");
            }
            // one pass over the element's fields: looking each of them up by name cost more than the rest
            JsonNode codeNode = null;
            JsonNode status = null;
            JsonNode expire = null;
            JsonNode agent = null;
            for (Iterator<Map.Entry<String, JsonNode>> fields = r.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> f = fields.next();
                switch (f.getKey()) {
                    case "registration" -> codeNode = f.getValue();
                    case "status" -> status = f.getValue();
                    case "expire" -> expire = f.getValue();
                    case "agent" -> agent = f.getValue();
                    default -> { } // not kept
                }
            }
            VoipNowRegistration code = code(codeNode, b);
            codes.add(code);
            raw.add(rawFields(codeNode, status, expire, agent));
            if (code != VoipNowRegistration.UNKNOWN) {
                // a device the PBX knows nothing about would count as "something known" in the rule
                // and turn an all-unknown extension AVAILABLE; its raw fields stay in vendorStatus
                b.device(new Device(null, LenientJson.text(agent), code.deviceOnline, null,
                        Rfc3339.instant(LenientJson.text(expire))));
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

    /** A registration element's raw fields as kept in vendorStatus: in this order, each only when sent. */
    private static Map<String, Object> rawFields(JsonNode registration, JsonNode status, JsonNode expire, JsonNode agent) {
        VendorFields.Builder m = VendorFields.builder(4);
        keep(m, "registration", registration);
        keep(m, "status", status);
        keep(m, "expire", expire);
        keep(m, "agent", agent);
        return m.build();
    }

    private static void keep(VendorFields.Builder m, String key, JsonNode value) {
        Object v = LenientJson.raw(value);
        if (v != null) {
            m.put(key, v);
        }
    }

    @Override
    public String toString() {
        return "VoipNowTranslator[" + sourceId + "]";
    }
}
