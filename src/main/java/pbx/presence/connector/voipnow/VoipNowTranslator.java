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
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
        return new ArrayList<>(records(payload, observedAt));
    }

    /**
     * The same records as {@link #translate}, translated one by one as they are read, each time they
     * are read: what the poll's pipeline hands to change detection, which keeps only the records that
     * changed, so a poll of a large PBX never holds all its records at once (issue 13 item 4). Reading
     * it in order (its iterator, a for-each, a stream) checks, as {@link #translate} does, that no
     * extension occurs twice; {@code get(i)} translates entry {@code i} alone.
     *
     * @throws PayloadException from reading it, when an entry cannot be translated or an extension repeats
     */
    public List<ExtensionPresence> records(VoipNowPayload payload, Instant observedAt) {
        return new Records(Objects.requireNonNull(payload, "payload"), Objects.requireNonNull(observedAt, "observedAt"));
    }

    /** The records of one payload, as a read-only list translated on every read (not RandomAccess: streams use the iterator). */
    private final class Records extends AbstractList<ExtensionPresence> {
        private final VoipNowPayload payload;
        private final Instant observedAt;
        /** Index of each page's first entry. */
        private final int[] firsts;
        private final int size;

        Records(VoipNowPayload payload, Instant observedAt) {
            this.payload = payload;
            this.observedAt = observedAt;
            List<VoipNowPage> pages = payload.pages();
            firsts = new int[pages.size()];
            int n = 0;
            for (int k = 0; k < pages.size(); k++) {
                firsts[k] = n;
                n += pages.get(k).entries().size();
            }
            size = n;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public ExtensionPresence get(int index) {
            Objects.checkIndex(index, size);
            int k = Arrays.binarySearch(firsts, index);
            if (k < 0) {
                k = -k - 2;
            }
            while (k + 1 < firsts.length && firsts[k + 1] == index) {
                k++; // past empty pages
            }
            VoipNowPage page = payload.pages().get(k);
            return entry(page.entries().get(index - firsts[k]), page, index - firsts[k], observedAt);
        }

        @Override
        public Iterator<ExtensionPresence> iterator() {
            return new Iterator<>() {
                private final Map<String, Integer> seen = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
                private int page;
                private int entry;
                private int index;

                @Override
                public boolean hasNext() {
                    while (page < payload.pages().size() && entry >= payload.pages().get(page).entries().size()) {
                        page++;
                        entry = 0;
                    }
                    return page < payload.pages().size();
                }

                @Override
                public ExtensionPresence next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    VoipNowPage p = payload.pages().get(page);
                    ExtensionPresence r = entry(p.entries().get(entry), p, entry, observedAt);
                    Integer first = seen.putIfAbsent(r.extension(), index);
                    if (first != null) {
                        throw new PayloadException("VoipNow presence: extension " + r.extension() + " occurs twice, in "
                                + place(first) + " and in " + where(p, entry) + " (the server's paging repeated or shifted entries)");
                    }
                    entry++;
                    index++;
                    return r;
                }
            };
        }

        /** The page and entry of record {@code index}, for a message. */
        private String place(int index) {
            int k = payload.pages().size() - 1;
            while (firsts[k] > index || payload.pages().get(k).entries().isEmpty()) {
                k--;
            }
            return where(payload.pages().get(k), index - firsts[k]);
        }
    }

    /** An entry's place for messages, e.g. {@code GET /uapi/…/presence?count=20&startIndex=40 entry[3]}; built only for a message. */
    private static String where(VoipNowPage page, int i) {
        return page.label() + " entry[" + i + "]";
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
