package pbx.presence.connector.telecomx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.Device;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Translates a TelecomX poll (vendor {@code telecomx}, seed 004, VENDORS.md §6) into canonical
 * records. A pure function of the fetched bodies, the source's options and {@code observedAt}.
 *
 * <p>Per extension (seed 004 fields):
 * <ul>
 *   <li>{@code number} (required) → extension; {@code _id} → extensionId; {@code name} (else the
 *       employee's) → name; always enabled (TelecomX has no such flag)</li>
 *   <li>the employee's presence state → presence: WORK → AVAILABLE; OFF_WORK, HOLIDAY, BUSY → the
 *       same; the raw state → presenceLabel and {@code vendorStatus.presence}. Standalone extensions
 *       and {@link TelecomXMode#EXTENSIONS} mode have no presence (UNKNOWN).</li>
 *   <li>{@code onPresenceOffWork} / {@code onPresenceHoliday} / {@code onPresenceBusy}, the one for
 *       the current state → presenceAcceptsCalls: AVAILABLE → TRUE; BUSY, BUSY_NOT_MOBILE,
 *       BUSY_NOT_MOBILE_DIRECT → FALSE; WHITELIST, WHITELIST_INT → FALSE (only some callers get
 *       through) unless the source sets {@code whitelistAcceptsCalls}; the raw policy is kept in
 *       {@code vendorStatus} under its field name</li>
 *   <li>{@code phones[{_id, type, model, online, dnd}]} → devices (userAgent = type and model);
 *       any phone online → REGISTERED; phones listed but none online (or an empty list) →
 *       NOT_REGISTERED; no {@code phones} field → UNKNOWN. Any phone in DND that is not known to be
 *       offline → dnd TRUE (a DND flag left on an offline phone blocks nothing, as in
 *       {@link pbx.presence.model.AvailabilityRule}); phones listed, none in DND → FALSE.</li>
 *   <li>{@code callWaiting} → callWaiting</li>
 *   <li>extension {@code state} and {@code calls} (employees mode only; shape ASSUMED, see
 *       {@link TelecomXEmployeesShape}) → line and activeCalls; {@code vendorStatus.state} and
 *       {@code vendorStatus.calls} (the count)</li>
 * </ul>
 * Undocumented presence states, policies, extension and call states map to UNKNOWN (a call of
 * unknown kind to BUSY), keep their raw value, are marked unrecognised (PRESENCE, CALL_POLICY, LINE)
 * and reported once through {@link UnknownValues}: never AVAILABLE on their strength.
 *
 * <p>Malformed, truncated or empty bodies, wrong top-level or element types, an extension without
 * {@code number} and a number that occurs twice (within or across pages) throw
 * {@link PayloadException} naming the body, the place and the problem, e.g.
 * {@code "TelecomX extension page 2: element 17 repeats number 592 of page 0 element 3"}.
 * Immutable and thread-safe.
 */
public final class TelecomXTranslator {

    public static final String VENDOR = "telecomx";

    private final String sourceId;
    private final boolean whitelistAcceptsCalls;

    /**
     * @param whitelistAcceptsCalls true when WHITELIST / WHITELIST_INT should count as accepting
     *        calls (a site whose whitelists cover the callers that matter); default false
     */
    public TelecomXTranslator(String sourceId, boolean whitelistAcceptsCalls) {
        this.sourceId = Objects.requireNonNull(sourceId, "sourceId");
        this.whitelistAcceptsCalls = whitelistAcceptsCalls;
    }

    public TelecomXTranslator(String sourceId) {
        this(sourceId, false);
    }

    /**
     * @return one record per extension, in payload order
     * @throws PayloadException when the payload cannot be translated
     */
    public List<ExtensionPresence> translate(TelecomXPayload payload, Instant observedAt) {
        Objects.requireNonNull(payload, "payload");
        return switch (payload.mode()) {
            case EMPLOYEES -> {
                if (payload.pages().size() != 1) {
                    throw new PayloadException(TelecomXEmployeesShape.WHAT + ": expected one body, got " + payload.pages().size());
                }
                yield employees(payload.pages().get(0), observedAt);
            }
            case EXTENSIONS -> extensionPages(payload.pages(), observedAt);
        };
    }

    /** Translates one {@code /pbx/app/employees} body. */
    public List<ExtensionPresence> employees(byte[] body, Instant observedAt) {
        String what = TelecomXEmployeesShape.WHAT;
        JsonNode root = LenientJson.parse(body, what);
        TelecomXEmployeesShape.Rows rows = TelecomXEmployeesShape.rows(root);
        for (TelecomXEmployeesShape.Skipped s : rows.skipped()) {
            UnknownValues.report(sourceId, VENDOR, "record type", s.type());
        }
        List<ExtensionPresence> out = new ArrayList<>(rows.rows().size());
        Map<String, String> seen = new HashMap<>();
        for (TelecomXEmployeesShape.Row row : rows.rows()) {
            ExtensionPresence p = extension(row.extension(), what, row.where(), row.employee(), true, observedAt);
            unique(seen, p.extension(), what + ": " + row.where(), row.where());
            out.add(p);
        }
        return out;
    }

    /** Translates the {@code /pbx/extension} pages of one poll, in offset order. */
    public List<ExtensionPresence> extensionPages(List<byte[]> pages, Instant observedAt) {
        if (pages.isEmpty()) {
            throw new PayloadException("TelecomX extension pages: none fetched");
        }
        List<ExtensionPresence> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int n = 0; n < pages.size(); n++) {
            String what = "TelecomX extension page " + n;
            TelecomXExtensionPage page = TelecomXExtensionPage.parse(pages.get(n), what);
            JsonNode items = page.items();
            for (int i = 0; i < items.size(); i++) {
                JsonNode ext = items.get(i);
                String where = "element " + i;
                if (!ext.isObject()) {
                    throw new PayloadException(what + ": " + where + " is " + LenientJson.kind(ext) + ", expected an extension object");
                }
                ExtensionPresence p = extension(ext, what, where, null, false, observedAt);
                unique(seen, p.extension(), what + ": " + where, "page " + n + " " + where);
                out.add(p);
            }
        }
        return out;
    }

    private static void unique(Map<String, String> seen, String number, String here, String label) {
        String before = seen.putIfAbsent(number, label);
        if (before != null) {
            throw new PayloadException(here + " repeats number " + number + " of " + before);
        }
    }

    private ExtensionPresence extension(JsonNode ext, String what, String where,
                                        TelecomXEmployeesShape.Employee employee, boolean withLine, Instant observedAt) {
        String number = ExtensionNumbers.read(ext.get("number"), what + ": " + where);
        if (number == null) {
            throw new PayloadException(what + ": " + where + " has no number");
        }
        String name = TelecomXJson.nonBlank(ext.get("name"));
        ExtensionPresence.Builder b = ExtensionPresence.builder(sourceId, VENDOR, number)
                .extensionId(TelecomXJson.nonBlank(ext.get("_id")))
                .name(name != null ? name : employee == null ? null : employee.name())
                .observedAt(observedAt);

        presence(b, ext, employee);
        phones(b, ext, what, where);

        JsonNode callWaiting = ext.get("callWaiting");
        keepRaw(b, "callWaiting", callWaiting);
        b.callWaiting(LenientJson.bool(callWaiting));

        if (withLine) {
            line(b, ext, where);
        }
        return b.build();
    }

    private void presence(ExtensionPresence.Builder b, JsonNode ext, TelecomXEmployeesShape.Employee employee) {
        String raw = employee == null ? null : TelecomXEmployeesShape.presenceState(employee.presence());
        if (raw == null) {
            return; // standalone extension, extensions mode, or an employee without presence: UNKNOWN
        }
        b.vendorStatus("presence", raw).presenceLabel(raw);
        TelecomXPresenceState state = TelecomXPresenceState.parse(raw);
        if (state == null) {
            UnknownValues.unrecognised(b, Dimension.PRESENCE, sourceId, VENDOR, "presence", raw);
            b.presence(Presence.UNKNOWN);
            return;
        }
        b.presence(state.presence());
        if (state.policyField() == null) {
            return; // WORK: calls are handled normally, no policy applies
        }
        JsonNode policyNode = ext.get(state.policyField());
        String policyRaw = TelecomXJson.nonBlank(policyNode);
        if (policyRaw == null) {
            return; // no policy sent: presenceAcceptsCalls stays unknown
        }
        b.vendorStatus(state.policyField(), policyRaw);
        TelecomXPolicy policy = TelecomXPolicy.parse(policyRaw);
        if (policy == null) {
            UnknownValues.unrecognised(b, Dimension.CALL_POLICY, sourceId, VENDOR, state.policyField(), policyRaw);
            return;
        }
        b.presenceAcceptsCalls(policy.acceptsCalls(whitelistAcceptsCalls));
    }

    private static void phones(ExtensionPresence.Builder b, JsonNode ext, String what, String where) {
        JsonNode phones = ext.get("phones");
        if (!LenientJson.present(phones)) {
            return; // phones not included: registration and DND unknown
        }
        if (!phones.isArray()) {
            throw new PayloadException(what + ": " + where + " has 'phones' as " + LenientJson.kind(phones) + ", expected an array");
        }
        List<Device> devices = new ArrayList<>(phones.size());
        boolean anyOnline = false;
        boolean anyUnknownOnline = false;
        boolean dnd = false;
        for (int i = 0; i < phones.size(); i++) {
            JsonNode phone = phones.get(i);
            if (!phone.isObject()) {
                throw new PayloadException(what + ": " + where + " phone " + i + " is " + LenientJson.kind(phone)
                        + ", expected a phone object");
            }
            Boolean online = LenientJson.bool(phone.get("online"));
            Boolean phoneDnd = LenientJson.bool(phone.get("dnd"));
            anyOnline |= Boolean.TRUE.equals(online);
            anyUnknownOnline |= online == null;
            dnd |= Boolean.TRUE.equals(phoneDnd) && !Boolean.FALSE.equals(online);
            devices.add(new Device(TelecomXJson.nonBlank(phone.get("_id")), userAgent(phone), online, phoneDnd, null));
        }
        b.devices(devices)
                .registration(anyOnline ? Registration.REGISTERED
                        : anyUnknownOnline ? Registration.UNKNOWN : Registration.NOT_REGISTERED)
                .dnd(dnd);
    }

    /** "SIP Yealink T46S", "MVNO", or null when the phone says neither. */
    private static String userAgent(JsonNode phone) {
        String type = TelecomXJson.nonBlank(phone.get("type"));
        String model = TelecomXJson.nonBlank(phone.get("model"));
        if (type == null) {
            return model;
        }
        return model == null ? type : type + " " + model;
    }

    private void line(ExtensionPresence.Builder b, JsonNode ext, String where) {
        TelecomXEmployeesShape.Line line = TelecomXEmployeesShape.line(ext, where);
        keepRaw(b, "state", ext.get("state"));
        JsonNode calls = ext.get("calls");
        if (calls != null && calls.isArray()) {
            b.vendorStatus("calls", calls.size());
        }
        if (line.unknownState() != null) {
            UnknownValues.unrecognised(b, Dimension.LINE, sourceId, VENDOR, "extension state", line.unknownState());
        }
        for (String s : line.unknownCallStates()) {
            UnknownValues.unrecognised(b, Dimension.LINE, sourceId, VENDOR, "call state", s);
        }
        b.line(line.line() == null ? LineState.UNKNOWN : line.line()).activeCalls(line.activeCalls());
    }

    private static void keepRaw(ExtensionPresence.Builder b, String key, JsonNode value) {
        Object raw = LenientJson.raw(value);
        if (raw != null) {
            b.vendorStatus(key, raw);
        }
    }

    @Override
    public String toString() {
        return "TelecomXTranslator[" + sourceId + (whitelistAcceptsCalls ? ", whitelist accepts calls" : "") + "]";
    }
}
