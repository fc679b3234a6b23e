package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.CallClass;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads {@code GET client/{client_id}/extension/call_status/}: {@code [{id, name, property_list[], …}]}
 * (VENDORS.md §5, seed 003). {@code property_list} is an array of mnemo codes; a comma-separated string
 * and objects carrying a {@code mnemo} field are read too. Undocumented codes are kept raw and passed
 * to {@code unknownMnemo}; they allow nothing.
 */
final class TelphinStatuses {

    private static final String WHAT = "statuses";

    private TelphinStatuses() {
    }

    /** status id → status, in the order sent. */
    static Map<String, TelphinStatus> read(JsonNode root, Consumer<String> unknownMnemo) {
        JsonNode list = root;
        if (root.isObject()) {
            list = root.has("data") && root.get("data").isArray() ? root.get("data")
                    : root.has("items") && root.get("items").isArray() ? root.get("items") : null;
            if (list == null) {
                String message = LenientJson.text(root.get("message"));
                throw new PayloadException(WHAT + ": " + (message != null ? "an error object instead of statuses: " + message
                        : "an object without an array of statuses, expected a JSON array"));
            }
        } else if (!root.isArray()) {
            throw new PayloadException(WHAT + ": " + LenientJson.kind(root) + ", expected a JSON array of statuses");
        }
        Map<String, TelphinStatus> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode s : list) {
            String which = WHAT + ": element " + i;
            if (!s.isObject()) {
                throw new PayloadException(which + " is " + LenientJson.kind(s) + ", expected a status object");
            }
            String id = TelphinJson.id(s.get("id"));
            if (id == null) {
                throw new PayloadException(which + " has no id");
            }
            List<String> raw = propertyList(s.get("property_list"), which + " (id " + id + ")");
            Set<CallClass> allowed = null;
            if (raw != null) {
                Set<TelphinCallProperty> props = EnumSet.noneOf(TelphinCallProperty.class);
                for (String m : raw) {
                    TelphinCallProperty.of(m).ifPresentOrElse(props::add, () -> unknownMnemo.accept(m));
                }
                allowed = TelphinCallProperty.allowed(props);
            }
            TelphinStatus status = new TelphinStatus(id, LenientJson.text(s.get("name")), raw, allowed);
            if (out.putIfAbsent(id, status) != null) {
                throw new PayloadException(which + " repeats status id " + id);
            }
            i++;
        }
        return out;
    }

    /** The raw codes; null when the field is missing or null (nothing known), empty when it is empty. */
    private static List<String> propertyList(JsonNode n, String which) {
        if (!LenientJson.present(n)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            for (String part : n.textValue().split("[,;\\s]+")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return out;
        }
        if (!n.isArray()) {
            throw new PayloadException(which + ": property_list is " + LenientJson.kind(n) + ", expected an array of mnemo codes");
        }
        for (JsonNode m : n) {
            String code = m.isObject() ? LenientJson.text(m.get("mnemo")) : LenientJson.text(m);
            if (code == null) {
                throw new PayloadException(which + ": property_list holds " + LenientJson.kind(m) + ", expected mnemo codes");
            }
            if (!code.isEmpty()) {
                out.add(code);
            }
        }
        return out;
    }
}
