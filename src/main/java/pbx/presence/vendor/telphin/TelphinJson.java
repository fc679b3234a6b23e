package pbx.presence.vendor.telphin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import pbx.presence.model.Json;
import pbx.presence.vendor.PayloadException;

import java.io.IOException;
import java.util.Locale;

/**
 * Parses Telphin bodies and reads their scalars leniently: numbers and booleans may arrive as
 * strings ({@code "17"}, {@code "true"}), fields may be missing or null. Readers never throw; a value
 * that cannot be read is null and the caller decides what that means. Only {@link #parse} throws,
 * with a {@link PayloadException} that names the body and what was wrong with it.
 */
final class TelphinJson {

    // trailing tokens after the document ("[]]") are malformed too, not silently ignored
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private TelphinJson() {
    }

    /**
     * @param what names the body in messages, e.g. "extension page 2"
     * @throws PayloadException for an empty, truncated or malformed body
     */
    static JsonNode parse(byte[] body, String what) {
        if (body == null || body.length == 0) {
            throw new PayloadException(what + ": empty body, expected JSON");
        }
        JsonNode root;
        try {
            root = READER.readTree(body);
        } catch (JsonEOFException e) {
            throw new PayloadException(what + ": truncated JSON, it ends inside a value" + at(e.getLocation()), e);
        } catch (JsonProcessingException e) {
            throw new PayloadException(what + ": malformed JSON" + at(e.getLocation()) + ": "
                    + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new PayloadException(what + ": unreadable: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new PayloadException(what + ": empty body, expected JSON");
        }
        return root;
    }

    static boolean present(JsonNode n) {
        return n != null && !n.isMissingNode() && !n.isNull();
    }

    /** A scalar as trimmed text; null for missing, null, objects and arrays. */
    static String text(JsonNode n) {
        if (!present(n) || n.isContainerNode()) {
            return null;
        }
        return n.asText().strip();
    }

    /** true/false, 1/0, "true"/"false", "1"/"0", "yes"/"no"; null otherwise. */
    static Boolean bool(JsonNode n) {
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

    /** An integer from a number or a numeric string; null otherwise. */
    static Long integer(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        String t = text(n);
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return Long.valueOf(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * An identifier as text: {@code 17}, {@code "17"} and {@code 17.0} all read as "17", so an id sent
     * as a number in one body and as a string in another still matches.
     */
    static String id(JsonNode n) {
        if (!present(n) || n.isContainerNode()) {
            return null;
        }
        if (n.isNumber() && (n.isIntegralNumber() || n.doubleValue() == Math.rint(n.doubleValue()))) {
            return Long.toString(n.longValue());
        }
        String t = text(n);
        if (t == null || t.isEmpty()) {
            return null;
        }
        if (t.matches("-?\\d+\\.0+")) {
            t = t.substring(0, t.indexOf('.'));
        }
        return t;
    }

    /** The scalar as the vendor sent it, for {@code vendorStatus}: String, Number or Boolean; null otherwise. */
    static Object raw(JsonNode n) {
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
    static String kind(JsonNode n) {
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
