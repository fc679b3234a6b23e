package pbx.presence.vendor.threecx;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * Reads JSON scalars the way the 3CX bridges send them: numbers and booleans may arrive as strings
 * ({@code "true"}, {@code "1"}, {@code " 4 "}), fields may be missing or null. Never throws; a value
 * that cannot be read is null and the caller decides what that means.
 */
final class LenientJson {

    private LenientJson() {
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
    static Integer integer(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        return parseInt(text(n));
    }

    static Integer parseInt(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
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
}
