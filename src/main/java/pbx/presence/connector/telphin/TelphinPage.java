package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of {@code GET client/{client_id}/extension/?type=phone&page=N}: the extension objects it
 * holds and, when the server says so, the total number of extensions.
 *
 * <p>Telphin answers a plain JSON array. A wrapper object ({@code {"total": 120, "data": [...]}}, also
 * {@code items}, {@code extensions}, {@code results}; totals {@code total}, {@code total_count},
 * {@code count}) is accepted as well, so a proxy or a newer API version that adds a total lets the
 * fetcher stop without asking for one more page.
 *
 * @param total the server's total of extensions over all pages, or null when it does not say
 */
record TelphinPage(List<JsonNode> items, Long total) {

    private static final String[] LIST_FIELDS = {"data", "items", "extensions", "results"};
    private static final String[] TOTAL_FIELDS = {"total", "total_count", "count"};

    /**
     * @param what names the page in messages, e.g. "extension page 2"
     * @throws PayloadException when the page is not an array of objects (or such a wrapper)
     */
    static TelphinPage read(JsonNode root, String what) {
        JsonNode list = root;
        Long total = null;
        if (root.isObject()) {
            list = null;
            for (String f : LIST_FIELDS) {
                if (root.path(f).isArray()) {
                    list = root.get(f);
                    break;
                }
            }
            if (list == null) {
                String message = LenientJson.text(root.get("message"));
                throw new PayloadException(what + ": " + (message != null
                        ? "an error object instead of extensions: " + message
                        : "an object without an array of extensions, expected a JSON array"));
            }
            for (String f : TOTAL_FIELDS) {
                Long t = LenientJson.integer(root.get(f));
                if (t != null && t >= 0) {
                    total = t;
                    break;
                }
            }
        } else if (!root.isArray()) {
            throw new PayloadException(what + ": " + LenientJson.kind(root) + ", expected a JSON array of extensions");
        }
        List<JsonNode> items = new ArrayList<>(list.size());
        int i = 0;
        for (JsonNode e : list) {
            if (!e.isObject()) {
                throw new PayloadException(what + ": element " + i + " is " + LenientJson.kind(e)
                        + ", expected an extension object");
            }
            items.add(e);
            i++;
        }
        return new TelphinPage(List.copyOf(items), total);
    }
}
