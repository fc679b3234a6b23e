package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.Dimension;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Presence;
import pbx.presence.connector.ExtensionNumbers;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.UnknownValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Translates one poll of a Telphin-style cloud PBX ({@link TelphinPayload}) into canonical records
 * (VENDORS.md §5, seed 003). A pure function: no I/O, no clock, no Camel.
 *
 * <table>
 *   <caption>mapping</caption>
 *   <tr><td>extension {@code name} ("0003*201")</td><td>extension = the part after the last '*' ("201")</td></tr>
 *   <tr><td>{@code id}, {@code label}</td><td>extensionId, name</td></tr>
 *   <tr><td>{@code status} active / blocked</td><td>enabled true / false (blocked → OFFLINE, reason DISABLED)</td></tr>
 *   <tr><td>status id field (ASSUMED, default {@value #DEFAULT_STATUS_FIELD})</td><td>the extension's current status</td></tr>
 *   <tr><td>status {@code name}</td><td>presenceLabel; presence via {@link TelphinPresenceMapping}</td></tr>
 *   <tr><td>status {@code property_list}</td><td>allowedCalls; no inbound class → CALLS_BLOCKED_BY_STATUS (DND)</td></tr>
 *   <tr><td>registration</td><td>registration, devices</td></tr>
 *   <tr><td>current calls</td><td>line, activeCalls</td></tr>
 * </table>
 * Undocumented values are kept raw in {@code vendorStatus}, reported once through
 * {@link UnknownValues} and marked unrecognised: extension status (ENABLED), a status id missing from
 * the status list (PRESENCE and CALL_POLICY: the status decides which calls get through), a mnemo
 * code (CALL_POLICY), a call flow (LINE). Non-phone extensions a server returns
 * despite {@code type=phone} are skipped. A malformed payload, an extension without id or name, or an
 * extension that appears twice throws {@link PayloadException} naming the page and element.
 */
public final class TelphinTranslator {

    public static final String VENDOR = "telphin";
    /** ASSUMED name of the extension field that holds its current status id. */
    public static final String DEFAULT_STATUS_FIELD = "call_status_id";

    private final String sourceId;
    private final String statusField;
    private final TelphinPresenceMapping mapping;

    public TelphinTranslator(String sourceId) {
        this(sourceId, DEFAULT_STATUS_FIELD, TelphinPresenceMapping.defaults());
    }

    /**
     * @param statusField the extension field holding the current status id (or an object with an {@code id})
     */
    public TelphinTranslator(String sourceId, String statusField, TelphinPresenceMapping mapping) {
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.statusField = statusField == null || statusField.isBlank() ? DEFAULT_STATUS_FIELD : statusField.strip();
        this.mapping = Objects.requireNonNull(mapping, "mapping");
    }

    public List<ExtensionPresence> translate(TelphinPayload payload, Instant observedAt) {
        Objects.requireNonNull(observedAt, "observedAt");
        Map<String, TelphinStatus> statuses = TelphinStatuses.read(payload.statuses(),
                m -> UnknownValues.report(sourceId, VENDOR, "property_list mnemo", m));
        Map<String, TelphinCalls.Summary> calls = payload.currentCalls() == null ? null
                : TelphinCalls.read(payload.currentCalls(), f -> UnknownValues.report(sourceId, VENDOR, "call_flow", f));

        List<ExtensionPresence> out = new ArrayList<>();
        Map<String, String> numbers = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        List<JsonNode> pages = payload.extensionPages();
        for (int p = 0; p < pages.size(); p++) {
            String page = "extension page " + (p + 1);
            List<JsonNode> items = TelphinPage.read(pages.get(p), page).items();
            for (int i = 0; i < items.size(); i++) {
                JsonNode ext = items.get(i);
                String where = page + ", element " + i;
                String type = LenientJson.text(ext.get("type"));
                if (type != null && !type.isEmpty() && !type.equalsIgnoreCase("phone")) {
                    continue;
                }
                String id = TelphinJson.id(ext.get("id"));
                if (id == null) {
                    throw new PayloadException(where + " has no id");
                }
                String fullName = ExtensionNumbers.text(ext.get("name"), where + " (id " + id + ")");
                if (fullName == null) {
                    throw new PayloadException(where + " (id " + id + ") has no name (extension number)");
                }
                String number = ExtensionNumbers.check(number(fullName), where + " (id " + id + ")");
                String before = ids.putIfAbsent(id, where);
                if (before != null) {
                    throw new PayloadException(where + " repeats extension id " + id + " of " + before);
                }
                before = numbers.putIfAbsent(number, where);
                if (before != null) {
                    throw new PayloadException(where + " repeats extension " + number + " of " + before);
                }
                out.add(extension(ext, id, fullName, number, statuses, payload, calls, observedAt));
            }
        }
        return out;
    }

    private ExtensionPresence extension(JsonNode ext, String id, String fullName, String number,
                                        Map<String, TelphinStatus> statuses, TelphinPayload payload,
                                        Map<String, TelphinCalls.Summary> calls, Instant observedAt) {
        ExtensionPresence.Builder b = ExtensionPresence.builder(sourceId, VENDOR, number)
                .extensionId(id)
                .name(LenientJson.text(ext.get("label")))
                .observedAt(observedAt)
                .vendorStatus("id", id)
                .vendorStatus("name", fullName);

        String status = LenientJson.text(ext.get("status"));
        if (status != null) {
            b.vendorStatus("status", status);
            switch (status.toLowerCase(Locale.ROOT)) {
                case "active" -> b.enabled(true);
                case "blocked" -> b.enabled(false);
                // an undocumented value does not prove the extension is off, nor that it is on
                default -> UnknownValues.unrecognised(b, Dimension.ENABLED, sourceId, VENDOR, "extension status", status);
            }
        }

        callStatus(b, ext.get(statusField), statuses);

        JsonNode reg = payload.registrations().get(id);
        if (reg != null) {
            TelphinRegistration.Result r = TelphinRegistration.read(reg, "registration of extension " + number + " (id " + id + ")", observedAt);
            b.registration(r.registration()).devices(r.devices());
            if (r.registered() != null) {
                b.vendorStatus("registered", r.registered());
            }
            b.vendorStatus("registrations", r.devices().size());
        }

        if (calls != null) {
            TelphinCalls.Summary s = calls.getOrDefault(id, TelphinCalls.Summary.IDLE);
            b.line(s.line()).activeCalls(s.count()).vendorStatus("current_calls", s.count());
            if (s.unrecognisedFlow()) {
                b.unrecognised(Dimension.LINE); // reported once when the calls were read
            }
        }
        return b.build();
    }

    private void callStatus(ExtensionPresence.Builder b, JsonNode field, Map<String, TelphinStatus> statuses) {
        // the field may also carry the status object itself ({"id": 3, "name": …})
        JsonNode idNode = field != null && field.isObject() ? field.get("id") : field;
        String statusId = TelphinJson.id(idNode);
        if (statusId == null) {
            return; // presence and allowed calls stay unknown
        }
        b.vendorStatus(statusField, LenientJson.raw(idNode));
        TelphinStatus s = statuses.get(statusId);
        if (s == null) {
            // a status missing from the status list: neither what the user chose nor which calls get through is known
            UnknownValues.unrecognised(b, Dimension.PRESENCE, sourceId, VENDOR, statusField, statusId);
            b.unrecognised(Dimension.CALL_POLICY);
            b.presence(Presence.UNKNOWN);
            return;
        }
        if (s.name() != null) {
            b.vendorStatus("call_status_name", s.name());
        }
        b.presence(mapping.presenceOf(s.name())).presenceLabel(s.name());
        if (s.propertyList() != null) {
            b.vendorStatus("property_list", String.join(",", s.propertyList()));
            b.allowedCalls(s.allowedCalls());
            for (String mnemo : s.propertyList()) {
                if (TelphinCallProperty.of(mnemo).isEmpty()) {
                    b.unrecognised(Dimension.CALL_POLICY); // reported once when the status list was read
                }
            }
        }
    }

    /**
     * The dialable number inside the client: "0003*201" → "201", "0003*201@pbx.example" → "201".
     * Telphin names extensions client_prefix*extension_name.
     */
    static String number(String fullName) {
        String n = fullName;
        int at = n.indexOf('@');
        if (at > 0) {
            n = n.substring(0, at);
        }
        int star = n.lastIndexOf('*');
        String tail = star >= 0 ? n.substring(star + 1).strip() : n.strip();
        return tail.isEmpty() ? fullName.strip() : tail;
    }

    @Override
    public String toString() {
        return "TelphinTranslator[" + sourceId + ", status field " + statusField + ", " + mapping + "]";
    }
}
