package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;

/**
 * Parses 3CX v20 bodies and words what is wrong with them: every message starts {@value #WHAT} and
 * names the body ("Users page 2", "/callcontrol"), e.g.
 * {@code "3CX v20 payload: Users page 2: truncated JSON, it ends inside a value (line 1, column 4097)"}.
 */
final class ThreeCxV20Json {

    static final String WHAT = "3CX v20 payload";

    private ThreeCxV20Json() {
    }

    /**
     * @param which the body's name in messages, e.g. "Users page 2"
     * @param expected what an empty body should have been, for its message
     */
    static JsonNode parse(byte[] body, String which, String expected) {
        return LenientJson.parse(body, WHAT + ": " + which, expected);
    }

    static PayloadException problem(String which, String what) {
        return new PayloadException(WHAT + ": " + which + ": " + what);
    }

    /**
     * An optional array member: null when missing or null, the array when it is one.
     *
     * @throws PayloadException when it is present with another type
     */
    static JsonNode optionalArray(JsonNode object, String field, String which) {
        JsonNode n = object.get(field);
        if (!LenientJson.present(n)) {
            return null;
        }
        if (!n.isArray()) {
            throw problem(which, field + " is " + LenientJson.kind(n) + ", expected an array");
        }
        return n;
    }
}
