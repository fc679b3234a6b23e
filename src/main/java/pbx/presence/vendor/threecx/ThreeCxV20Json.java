package pbx.presence.vendor.threecx;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import pbx.presence.model.Json;
import pbx.presence.vendor.PayloadException;

import java.io.IOException;

/**
 * Parses 3CX v20 bodies and words what is wrong with them: every message starts {@value #WHAT} and
 * names the body ("Users page 2", "/callcontrol"), e.g.
 * {@code "3CX v20 payload: Users page 2: truncated JSON, it ends inside a value (line 1, column 4097)"}.
 */
final class ThreeCxV20Json {

    static final String WHAT = "3CX v20 payload";

    /** Trailing tokens fail: two JSON documents glued together are as broken as a cut one. */
    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ThreeCxV20Json() {
    }

    /** @param which the body's name in messages, e.g. "Users page 2" */
    static JsonNode parse(byte[] body, String which, String expected) {
        if (body == null || body.length == 0) {
            throw problem(which, "empty body, expected " + expected);
        }
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (JsonEOFException e) {
            throw new PayloadException(prefix(which) + "truncated JSON, it ends inside a value" + at(e.getLocation()), e);
        } catch (JsonProcessingException e) {
            throw new PayloadException(prefix(which) + "malformed JSON" + at(e.getLocation()) + ": "
                    + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new PayloadException(prefix(which) + "unreadable: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw problem(which, "empty body, expected " + expected);
        }
        return root;
    }

    static PayloadException problem(String which, String what) {
        return new PayloadException(prefix(which) + what);
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

    private static String prefix(String which) {
        return WHAT + ": " + which + ": ";
    }

    private static String at(JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return "";
        }
        return " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }
}
