package pbx.presence.connector;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import pbx.presence.model.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses vendor bodies and reads their scalars leniently, the way PBX vendors send them: numbers and
 * booleans may arrive as strings ({@code "17"}, {@code " 4 "}, {@code "true"}, {@code "1"}), fields
 * may be missing or null. The scalar readers never throw; a value that cannot be read is null and the
 * caller decides what that means. Only {@link #parse} throws, with a {@link PayloadException} that
 * names the body and what was wrong with it:
 * <ul>
 *   <li>{@code "<what>: empty body, expected <expected>"}</li>
 *   <li>{@code "<what>: truncated JSON, it ends inside a value (line L, column C)"}</li>
 *   <li>{@code "<what>: malformed JSON (line L, column C): <parser's first line>"}</li>
 *   <li>{@code "<what>: unreadable: <reason>"}</li>
 * </ul>
 */
public final class LenientJson {

    /** Trailing tokens fail: two JSON documents glued together ("[]]") are as broken as a cut one. */
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private LenientJson() {
    }

    // ---- parsing -------------------------------------------------------------------------------

    /**
     * {@link #parse(byte[], String, String)} expecting "JSON".
     *
     * @param what names the body in messages, e.g. "extension page 2"
     */
    public static JsonNode parse(byte[] body, String what) {
        return parse(body, what, "JSON");
    }

    /**
     * @param what     names the body in messages, e.g. "3CX v20 payload: Users page 2"
     * @param expected what an empty body should have been, e.g. "an array of DN objects"
     * @return the document's root, never null
     * @throws PayloadException for an empty (or blank), truncated or malformed body
     */
    public static JsonNode parse(byte[] body, String what, String expected) {
        if (body == null || body.length == 0) {
            throw empty(what, expected);
        }
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw failure(e, body, what, expected);
        } catch (IOException e) {
            throw new PayloadException(what + ": unreadable: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw empty(what, expected);
        }
        return root;
    }

    /**
     * How {@link #parse} words a body Jackson could not read, for a connector that reads a body with its own
     * streaming parser: empty, truncated or malformed, with the parser's line and column.
     */
    public static PayloadException failure(JsonProcessingException e, byte[] body, String what, String expected) {
        if (blank(body)) {
            return empty(what, expected); // e.g. only non-ASCII white space, which Jackson calls malformed
        }
        // Jackson reports some cuts (e.g. between object entries) as a plain parse error, not an EOF
        if (e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input")) {
            return new PayloadException(what + ": truncated JSON, it ends inside a value" + at(e.getLocation()), e);
        }
        return new PayloadException(what + ": malformed JSON" + at(e.getLocation()) + ": "
                + firstLine(e.getOriginalMessage()), e);
    }

    private static PayloadException empty(String what, String expected) {
        return new PayloadException(what + ": empty body, expected " + expected);
    }

    private static boolean blank(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).isBlank();
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

    // ---- scalars -------------------------------------------------------------------------------

    /** Not null, not missing, not JSON null. A blank string is present. */
    public static boolean present(JsonNode n) {
        return n != null && !n.isMissingNode() && !n.isNull();
    }

    /** A scalar as trimmed text; null for missing, null, objects and arrays. */
    public static String text(JsonNode n) {
        if (!present(n) || n.isContainerNode()) {
            return null;
        }
        return n.asText().strip();
    }

    /**
     * true/false, 1/0, and (any case, trimmed) "true"/"false", "1"/"0", "yes"/"no", "y"/"n",
     * "on"/"off"; null otherwise.
     */
    public static Boolean bool(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            long v = n.longValue();
            return v == 1 ? Boolean.TRUE : v == 0 ? Boolean.FALSE : null;
        }
        String t = text(n);
        if (t == null) {
            return null;
        }
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "on" -> Boolean.TRUE;
            case "false", "0", "no", "n", "off" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * A whole number from a number ({@code 4}, {@code 4.0}) or a numeric string ({@code "4"},
     * {@code " -1 "}, {@code "4.0"}, {@code "4e0"}); null for anything else, fractions, and values
     * outside the range of a long.
     */
    public static Long integer(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? n.longValue() : null;
        }
        if (n.isNumber()) {
            try {
                return wholeNumber(n.decimalValue());
            } catch (NumberFormatException e) {
                return null; // NaN or infinity
            }
        }
        return integer(text(n));
    }

    /** {@link #integer(JsonNode)} for text, e.g. a value taken out of a property string; trimmed. */
    public static Long integer(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Long.valueOf(t);
        } catch (NumberFormatException notPlain) {
            try {
                return wholeNumber(new BigDecimal(t));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** {@link #integer(JsonNode)} when it fits an int; null otherwise. */
    public static Integer intValue(JsonNode n) {
        return toInt(integer(n));
    }

    /** {@link #integer(String)} when it fits an int; null otherwise. */
    public static Integer intValue(String s) {
        return toInt(integer(s));
    }

    private static Integer toInt(Long v) {
        return v == null || v != v.intValue() ? null : v.intValue();
    }

    private static Long wholeNumber(BigDecimal d) {
        try {
            return d.stripTrailingZeros().scale() <= 0 ? d.longValueExact() : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The scalar as the vendor sent it, for {@code vendorStatus}: String, Number or Boolean; null when absent. */
    public static Object raw(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isNumber()) {
            return n.numberValue();
        }
        return n.toString();
    }

    /** "an object", "a string", … for messages. */
    public static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }
}
