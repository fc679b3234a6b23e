package pbx.presence.connector.telecomx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;

/**
 * One page of {@code GET /pbx/extension?offset&limit&includePhones=true}.
 *
 * <p>ASSUMED shape (the wiki's list page documents the query, not the response): either a bare
 * JSON array of seed-004 extension objects, or the envelope TelecomX's other paged lists use
 * ({@code /employee}, {@code /pbx/phonebook}): {@code {offset, limit, total, extensions: [...]}}.
 * Both are accepted; {@code total}, when present, tells the fetcher where the list ends.
 *
 * @param items the extension objects (a JSON array node)
 * @param total the envelope's {@code total}, or null when the page is a bare array or has none
 */
record TelecomXExtensionPage(JsonNode items, Long total) {

    /** The envelope's array field. */
    static final String ITEMS_FIELD = "extensions";

    int size() {
        return items.size();
    }

    /** {@code _id} of the first extension, for spotting a server that ignores {@code offset}; null if none. */
    String firstId() {
        return items.isEmpty() ? null : TelecomXJson.nonBlank(items.get(0).get("_id"));
    }

    /**
     * @param what names the page in messages, e.g. "TelecomX extension page at offset 1000"
     * @throws PayloadException for a body that is not JSON or not one of the two shapes
     */
    static TelecomXExtensionPage parse(byte[] body, String what) {
        JsonNode root = LenientJson.parse(body, what);
        if (root.isArray()) {
            return new TelecomXExtensionPage(root, null);
        }
        if (root.isObject()) {
            JsonNode items = root.get(ITEMS_FIELD);
            if (items != null && items.isArray()) {
                Long total = LenientJson.integer(root.get("total"));
                return new TelecomXExtensionPage(items, total == null || total < 0 ? null : total);
            }
            throw new PayloadException(what + ": an object without an '" + ITEMS_FIELD + "' array"
                    + (items == null ? "" : " (it is " + LenientJson.kind(items) + ")")
                    + ", expected an array of extensions or {offset, limit, total, " + ITEMS_FIELD + "}");
        }
        throw new PayloadException(what + ": top level is " + LenientJson.kind(root)
                + ", expected an array of extensions or {offset, limit, total, " + ITEMS_FIELD + "}");
    }
}
