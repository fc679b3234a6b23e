package pbx.presence.vendor.voipnow;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;

/**
 * Reads JSON scalars the way VoipNow sends them: seed 001's own example has {@code "status":0} and
 * {@code "registration":"-1"} in one entry, so every number may arrive as a string, and fields may be
 * missing or null. Never throws; a value that cannot be read is null and the caller decides.
 */
final class VoipNowJson {

    private VoipNowJson() {
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

    /** An integer from a number ({@code 1}, {@code 1.0}) or a numeric string ({@code "-1"}); null otherwise. */
    static Integer integer(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? n.intValue() : null;
        }
        if (n.isNumber()) {
            return wholeNumber(n.decimalValue());
        }
        String t = text(n);
        if (t == null || t.isEmpty()) {
            return null;
        }
        try {
            return wholeNumber(new BigDecimal(t));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** true/false, 1/0 and their string forms; null otherwise. */
    static Boolean bool(JsonNode n) {
        if (!present(n)) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        String t = text(n);
        if (t == null) {
            return null;
        }
        return switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> null;
        };
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

    private static Integer wholeNumber(BigDecimal d) {
        try {
            return d.stripTrailingZeros().scale() <= 0 ? d.intValueExact() : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
