package pbx.presence.connector.voipnow;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.CompactJsonTree;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.http.ErrorBodies;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One page of {@code GET /uapi/extensions/{userId}/{extension}/presence} (seed 001), parsed:
 * <pre>{"startIndex":0, "totalResults":2, "itemsPerPage":20, "filtered":false, "sorted":false, "entry":[ … ]}</pre>
 * Header numbers may be strings; a missing one is null (the fetcher then pages until a short page).
 * {@code entry} may be an array, a single object (what OpenSocial-style servers send for one
 * result), missing or null (no entries). HTTP 204 is {@link #noContent}.
 *
 * @param label     where the page came from, for messages, e.g. {@code GET /uapi/…/presence?count=20&startIndex=40}
 * @param startIndex    the server's {@code startIndex}, null when not sent
 * @param totalResults  the server's {@code totalResults}, null when not sent
 * @param itemsPerPage  the server's {@code itemsPerPage}, null when not sent
 * @param filtered      the server's {@code filtered}: whether it applied a filter; null when not sent
 * @param entries       the {@code entry} objects, in server order
 */
public record VoipNowPage(String label, Integer startIndex, Integer totalResults, Integer itemsPerPage,
                          Boolean filtered, List<JsonNode> entries) {

    public VoipNowPage {
        Objects.requireNonNull(label, "label");
        entries = List.copyOf(entries);
    }

    /** HTTP 204: "There are no [entries] to be returned." */
    public static VoipNowPage noContent(String label) {
        return new VoipNowPage(label, null, 0, null, null, List.of());
    }

    /**
     * Parses a 200 body.
     *
     * @throws PayloadException naming {@code label} and what was wrong: empty, truncated or malformed
     *         JSON, a top level that is not a collection object, a header field that is not a number, an
     *         {@code entry} that is not an array of objects, or a VoipNow {@code {"error":…}} body
     */
    public static VoipNowPage parse(byte[] body, String label) {
        String what = "VoipNow presence page (" + label + ")";
        // 5,000 small entry objects a page: read into compact objects, the same tree and errors as LenientJson.parse
        JsonNode root = CompactJsonTree.parse(body, what,
                "a collection object with HTTP 200 (no entries would be HTTP 204)");
        if (!root.isObject()) {
            throw new PayloadException(what + ": top level is " + LenientJson.kind(root)
                    + ", expected a collection object {startIndex, totalResults, itemsPerPage, entry[]}");
        }
        if (root.has("error") && !root.has("entry")) {
            throw new PayloadException(what + ": VoipNow error in a 2xx answer: "
                    + ErrorBodies.summary(root.toString()));
        }
        if (!root.has("entry") && !root.has("totalResults")) {
            throw new PayloadException(what + ": neither entry nor totalResults: not a presence collection");
        }
        Integer startIndex = number(root, "startIndex", what);
        Integer total = number(root, "totalResults", what);
        Integer perPage = number(root, "itemsPerPage", what);
        if (total != null && total < 0) {
            throw new PayloadException(what + ": totalResults is " + total + ", expected 0 or more");
        }
        return new VoipNowPage(label, startIndex, total, perPage, LenientJson.bool(root.get("filtered")),
                entries(root.get("entry"), what));
    }

    /** A header field as a number; null when absent; present but not a whole number is malformed. */
    private static Integer number(JsonNode root, String field, String what) {
        JsonNode n = root.get(field);
        if (!LenientJson.present(n)) {
            return null;
        }
        Integer v = LenientJson.intValue(n);
        if (v == null) {
            throw new PayloadException(what + ": " + field + " is " + describe(n) + ", expected a whole number");
        }
        return v;
    }

    private static List<JsonNode> entries(JsonNode entry, String what) {
        if (!LenientJson.present(entry)) {
            return List.of();
        }
        if (entry.isObject()) {
            return List.of(entry);
        }
        if (!entry.isArray()) {
            throw new PayloadException(what + ": entry is " + describe(entry) + ", expected an array of presence objects");
        }
        List<JsonNode> out = new ArrayList<>(entry.size());
        for (int i = 0; i < entry.size(); i++) {
            JsonNode e = entry.get(i);
            if (!e.isObject()) {
                throw new PayloadException(what + ": entry[" + i + "] is " + describe(e) + ", expected a presence object");
            }
            out.add(e);
        }
        return out;
    }

    static String describe(JsonNode n) {
        String kind = LenientJson.kind(n);
        if (n != null && n.isValueNode() && !n.isNull()) {
            String t = n.asText();
            return kind + " '" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "'";
        }
        return kind;
    }

    @Override
    public String toString() {
        return "VoipNowPage[" + label + ", startIndex " + startIndex + ", totalResults " + totalResults
                + ", " + entries.size() + " entries]";
    }
}
