package pbx.presence.connector;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.function.Supplier;

/**
 * The one check every translator applies to an extension number before it becomes a key: a
 * plausible dial string. Rejected, with a {@link PayloadException} naming the place and the
 * problem: a number that is not finite ({@code 1e400} parses as infinity), a number with a
 * fraction, a blank number, one holding control characters (line breaks, NUL …) and one longer
 * than {@value #MAX_LENGTH} characters. A whole JSON number becomes its plain digits
 * ({@code 201.0} and {@code 2.01e2} are "201"). Digits, letters, {@code * # + - . @ _} and
 * other printable characters stay as sent (sites use alphanumeric SIP extensions).
 */
public final class ExtensionNumbers {

    /** The longest extension number accepted. */
    public static final int MAX_LENGTH = 64;

    private ExtensionNumbers() {
    }

    /**
     * The extension number a JSON field holds, checked; null when the field is missing, null, blank
     * text, an object or an array (the caller says "has no number" its own way).
     *
     * @param where names the record in messages, e.g. "3CX Call Control payload: element 3"
     * @throws PayloadException when the value is not a plausible dial string
     */
    public static String read(JsonNode field, String where) {
        String text = text(field, where);
        return text == null ? null : check(text, where);
    }

    /**
     * {@link #read(JsonNode, String)} with the place named only when a message needs it: a poll of
     * 100,000 extensions would otherwise build 100,000 place names that no message uses.
     */
    public static String read(JsonNode field, Supplier<String> where) {
        if (LenientJson.present(field) && field.isTextual()) {
            String n = field.textValue();
            if (plausible(n)) {
                return n; // nothing to strip, nothing to reject: exactly what check() would return
            }
        }
        return read(field, where.get());
    }

    /** A non-blank dial string of at most {@value #MAX_LENGTH} characters, unpadded and without control characters. */
    private static boolean plausible(String n) {
        int len = n.length();
        if (len == 0 || len > MAX_LENGTH || Character.isWhitespace(n.charAt(0)) || Character.isWhitespace(n.charAt(len - 1))) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = n.charAt(i);
            if (c < 0x20 || c >= 0x7f) { // printable ASCII only; anything else takes the full check
                return false;
            }
        }
        return true;
    }

    /**
     * The text of a field that holds an extension number or a name containing one (Telphin's
     * {@code 0003*201}), before {@link #check}: a JSON number as its plain digits; null as in {@link #read}.
     *
     * @throws PayloadException for a JSON number that is not finite, not whole or too long
     */
    public static String text(JsonNode field, String where) {
        if (!LenientJson.present(field) || field.isContainerNode() || (field.isTextual() && field.textValue().isBlank())) {
            return null;
        }
        return field.isNumber() ? plain(field, where) : field.asText().strip();
    }

    /**
     * The number, stripped of surrounding blanks, when it is a plausible dial string.
     *
     * @throws PayloadException when it is null, blank, holds control characters or is too long
     */
    public static String check(String number, String where) {
        if (number == null || number.isBlank()) {
            throw invalid(where, number == null ? "nothing" : "'" + number + "'", "empty");
        }
        String n = number.strip();
        for (int i = 0; i < n.length(); i++) {
            if (Character.isISOControl(n.charAt(i)) || Character.getType(n.charAt(i)) == Character.FORMAT) {
                throw invalid(where, shown(n), "holds a control character (U+" + String.format("%04X", (int) n.charAt(i)) + ")");
            }
        }
        if (n.length() > MAX_LENGTH) {
            throw invalid(where, shown(n), n.length() + " characters, at most " + MAX_LENGTH);
        }
        return n;
    }

    private static String plain(JsonNode number, String where) {
        if (number.isFloatingPointNumber() && !number.isBigDecimal() && !Double.isFinite(number.doubleValue())) {
            throw invalid(where, number.asText(), "not a finite number");
        }
        BigDecimal d = number.decimalValue().stripTrailingZeros();
        if (d.scale() > 0) {
            throw invalid(where, number.asText(), "not a whole number");
        }
        if (d.precision() - d.scale() > MAX_LENGTH) {
            throw invalid(where, number.asText(), "more than " + MAX_LENGTH + " digits");
        }
        return d.toPlainString();
    }

    private static PayloadException invalid(String where, String shown, String why) {
        return new PayloadException(where + ": extension number " + shown + " is not a dial string (" + why + ")");
    }

    /** The value quoted for a message: control characters escaped, cut after 32 characters. */
    private static String shown(String n) {
        StringBuilder b = new StringBuilder("'");
        int max = Math.min(n.length(), 32);
        for (int i = 0; i < max; i++) {
            char c = n.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(n.length() > max ? "…'" : "'").toString();
    }
}
