package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;

/**
 * One parsed OData page of {@code GET /xapi/v1/Users}:
 * {@code {"@odata.context": …, "@odata.count"?: N, "value": [ {user}, … ], "@odata.nextLink"?: "…"}}.
 * Shared by the fetcher (which pages on it) and the translator (which maps its users), so both read
 * a page the same way.
 *
 * @param number   1-based position of the page in the poll, for messages
 * @param users    the {@code value} array (elements not yet checked)
 * @param nextLink {@code @odata.nextLink} when the server pages for us, else null
 * @param count    {@code @odata.count} (the total the server reports for {@code $count=true}), else null
 */
record ThreeCxV20UsersPage(int number, JsonNode users, String nextLink, Long count) {

    static final String VALUE = "value";
    static final String NEXT_LINK = "@odata.nextLink";
    static final String COUNT = "@odata.count";

    /** @throws pbx.presence.connector.PayloadException when the body is not such a page */
    static ThreeCxV20UsersPage read(byte[] body, int number) {
        String which = name(number);
        JsonNode root = ThreeCxV20Json.parse(body, which, "an OData object with a 'value' array of users");
        if (!root.isObject()) {
            throw ThreeCxV20Json.problem(which, "top level is " + LenientJson.kind(root)
                    + ", expected an OData object with a 'value' array of users");
        }
        JsonNode value = root.get(VALUE);
        if (!LenientJson.present(value)) {
            throw ThreeCxV20Json.problem(which, "has no 'value' array of users");
        }
        if (!value.isArray()) {
            throw ThreeCxV20Json.problem(which, "'value' is " + LenientJson.kind(value) + ", expected an array of users");
        }
        JsonNode next = root.get(NEXT_LINK);
        String nextLink = null;
        if (LenientJson.present(next)) {
            if (!next.isTextual()) {
                throw ThreeCxV20Json.problem(which, NEXT_LINK + " is " + LenientJson.kind(next) + ", expected a URL");
            }
            nextLink = next.textValue().isBlank() ? null : next.textValue().strip();
        }
        JsonNode countNode = root.get(COUNT);
        Long count = LenientJson.integer(countNode);
        return new ThreeCxV20UsersPage(number, value, nextLink, count);
    }

    /** "Users page 2": how messages name a page. */
    static String name(int number) {
        return "Users page " + number;
    }

    /** The {@code Number} of a user element as trimmed text; null when missing, blank or not a scalar. */
    static String numberOf(JsonNode user) {
        String n = user != null && user.isObject() ? LenientJson.text(user.get("Number")) : null;
        return n == null || n.isEmpty() ? null : n;
    }
}
