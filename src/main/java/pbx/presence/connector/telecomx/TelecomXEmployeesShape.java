package pbx.presence.connector.telecomx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.LineState;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of {@code GET /pbx/app/employees?calls=true&standalone=true}, in one place because most
 * of it is ASSUMED (VENDORS.md §6; docs/vendors.md lists what is documented and what is not).
 *
 * <p>Documented (wiki "API : PBX : APP: Employees List"): the answer lists records with {@code _id},
 * {@code type} ({@code EMPLOYEE}, or {@code EXTENSION} for an extension without an employee, sent
 * because of {@code standalone=true}) and {@code name}; it carries "presence, extensions and
 * extension state", and {@code calls=true} adds the current calls. Assumed here:
 * <pre>
 * [ { "_id": "…", "type": "EMPLOYEE", "name": "Donald Duck",
 *     "presence": { "state": "WORK" },                 ← or the bare string "WORK"
 *     "extensions": [ { …seed-004 extension object, phones[] included…,
 *                       "state": "IDLE",               ← extension state, values below
 *                       "calls": [ { "_id": "…", "state": "UP", "direction": "IN", "remote": "+45…" } ] } ] },
 *   { "_id": "…", "type": "EXTENSION", …the extension object itself, as above… } ]
 * </pre>
 * The top level may also be an object with that array under {@code employees}. A record without
 * {@code type} is an employee when it has {@code extensions}, else an extension when it has a
 * {@code number}. Extension {@code state}: IDLE / NOT_INUSE → IDLE, RINGING / RINGINUSE → RINGING,
 * INUSE / BUSY → BUSY, UP / TALKING / CONNECTED / ANSWERED → TALKING, ONHOLD / HOLD → HOLD,
 * DIALING → DIALING, UNAVAILABLE / OFFLINE / INVALID → UNAVAILABLE. Call {@code state}: RINGING,
 * UP (TALKING, CONNECTED, ANSWERED), DIALING (RINGBACK, CALLING), HOLD (ONHOLD); a call in any
 * other state still counts as BUSY. The line is the busiest of the extension state and its calls;
 * without a state it is IDLE when a {@code calls} array is present (and empty), else UNKNOWN.
 */
final class TelecomXEmployeesShape {

    static final String PATH = "/pbx/app/employees?calls=true&standalone=true";
    static final String WHAT = "TelecomX employees payload";

    private TelecomXEmployeesShape() {
    }

    /** The employee an extension belongs to; null for a standalone extension. */
    record Employee(String id, String name, JsonNode presence) {
    }

    /**
     * One extension found in the payload.
     *
     * @param where where it is, for messages: "record 3 extension 0"
     * @param employee its employee, or null for a standalone extension
     */
    record Row(JsonNode extension, String where, Employee employee) {
    }

    /** A record of a type nobody documented (skipped, reported once by the translator). */
    record Skipped(String where, String type) {
    }

    record Rows(List<Row> rows, List<Skipped> skipped) {
    }

    /** A line state together with the raw values nobody documented, for reporting. */
    record Line(LineState line, int activeCalls, String unknownState, List<String> unknownCallStates) {
    }

    /** Every extension in the payload with its employee, in payload order. */
    static Rows rows(JsonNode root) {
        JsonNode records = root;
        if (root.isObject() && root.has("employees")) {
            records = root.get("employees");
        }
        if (!records.isArray()) {
            throw new PayloadException(WHAT + ": top level is " + LenientJson.kind(root)
                    + ", expected an array of EMPLOYEE / EXTENSION records");
        }
        List<Row> rows = new ArrayList<>(records.size());
        List<Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            String where = "record " + i;
            if (!record.isObject()) {
                throw new PayloadException(WHAT + ": " + where + " is " + LenientJson.kind(record)
                        + ", expected an EMPLOYEE or EXTENSION object");
            }
            String type = TelecomXJson.token(TelecomXJson.nonBlank(record.get("type")));
            if (type == null) {
                type = record.has("extensions") ? "EMPLOYEE" : record.has("number") ? "EXTENSION" : null;
            }
            if ("EMPLOYEE".equals(type)) {
                employee(record, where, rows);
            } else if ("EXTENSION".equals(type)) {
                rows.add(new Row(record, where, null));
            } else {
                skipped.add(new Skipped(where, type == null ? "(none)" : LenientJson.text(record.get("type"))));
            }
        }
        return new Rows(rows, skipped);
    }

    private static void employee(JsonNode record, String where, List<Row> rows) {
        Employee employee = new Employee(TelecomXJson.nonBlank(record.get("_id")),
                TelecomXJson.nonBlank(record.get("name")), record.get("presence"));
        JsonNode extensions = record.get("extensions");
        if (!LenientJson.present(extensions)) {
            return; // an employee without extensions has nothing to route to
        }
        if (!extensions.isArray()) {
            throw new PayloadException(WHAT + ": " + where + " has 'extensions' as " + LenientJson.kind(extensions)
                    + ", expected an array");
        }
        for (int k = 0; k < extensions.size(); k++) {
            JsonNode ext = extensions.get(k);
            String at = where + " extension " + k;
            if (!ext.isObject()) {
                throw new PayloadException(WHAT + ": " + at + " is " + LenientJson.kind(ext) + ", expected an extension object");
            }
            rows.add(new Row(ext, at, employee));
        }
    }

    /** The employee's raw presence state: the {@code presence} string, or its {@code state} field; null when absent. */
    static String presenceState(JsonNode presence) {
        if (!LenientJson.present(presence)) {
            return null;
        }
        if (presence.isObject()) {
            return TelecomXJson.nonBlank(presence.get("state"));
        }
        return TelecomXJson.nonBlank(presence);
    }

    /** The extension's line from its {@code state} and {@code calls}. */
    static Line line(JsonNode extension, String where) {
        String rawState = TelecomXJson.nonBlank(extension.get("state"));
        LineState fromState = rawState == null ? null : extensionState(rawState);
        String unknownState = rawState != null && fromState == null ? rawState : null;
        JsonNode calls = extension.get("calls");
        boolean hasCalls = LenientJson.present(calls);
        if (hasCalls && !calls.isArray()) {
            throw new PayloadException(WHAT + ": " + where + " has 'calls' as " + LenientJson.kind(calls) + ", expected an array");
        }
        LineState line = fromState != null ? fromState
                : unknownState != null ? LineState.UNKNOWN
                : hasCalls ? LineState.IDLE : LineState.UNKNOWN;
        List<String> unknownCalls = new ArrayList<>(0);
        int active = 0;
        if (hasCalls) {
            for (JsonNode call : calls) {
                active++;
                String raw = call.isObject() ? TelecomXJson.nonBlank(call.get("state")) : null;
                LineState c = raw == null ? null : callState(raw);
                if (raw != null && c == null) {
                    unknownCalls.add(raw);
                }
                line = LineState.busier(line, c == null ? LineState.BUSY : c);
            }
        }
        return new Line(line, active, unknownState, unknownCalls);
    }

    /** ASSUMED extension state vocabulary; null for a value not listed. */
    static LineState extensionState(String raw) {
        return switch (TelecomXJson.token(raw).replace("_", "")) {
            case "IDLE", "NOTINUSE", "FREE" -> LineState.IDLE;
            case "RINGING", "RINGINUSE", "ALERTING" -> LineState.RINGING;
            case "INUSE", "BUSY" -> LineState.BUSY;
            case "UP", "TALKING", "CONNECTED", "ANSWERED" -> LineState.TALKING;
            case "ONHOLD", "HOLD" -> LineState.HOLD;
            case "DIALING", "DIALLING" -> LineState.DIALING;
            case "UNAVAILABLE", "OFFLINE", "INVALID" -> LineState.UNAVAILABLE;
            default -> null;
        };
    }

    /** ASSUMED call state vocabulary; null for a value not listed. */
    static LineState callState(String raw) {
        return switch (TelecomXJson.token(raw).replace("_", "")) {
            case "RINGING", "RING", "ALERTING" -> LineState.RINGING;
            case "UP", "TALKING", "CONNECTED", "ANSWERED" -> LineState.TALKING;
            case "DIALING", "DIALLING", "RINGBACK", "CALLING" -> LineState.DIALING;
            case "HOLD", "ONHOLD" -> LineState.HOLD;
            default -> null;
        };
    }
}
