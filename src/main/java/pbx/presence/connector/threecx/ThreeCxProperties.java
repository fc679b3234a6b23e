package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the {@code Properties} of a 3CX Call Control extension (seed 000) into a key → value map.
 *
 * <p>Each property is a string {@code KEY=VALUE(Type) [description]}, for example
 * {@code "CHATSTATUS=4(String) [0-Online, 1-Away, 2-Do Not Disturb, 3-Invisible, 4-Offline]"}.
 * The value may be empty ({@code "MOBILENUMBER=(String) [..]"}) and may itself contain '=', '(' or
 * '&lt;…&gt;' ({@code SHARED_BLFS=<PhoneDevice><BLFS /></PhoneDevice>}), and the description may
 * contain parentheses. The key is the text up to the first '='; the value is the text up to the
 * last {@code (Type)} marker that is followed only by an optional {@code [description]}. Without a
 * type marker the value is the rest, less a trailing {@code [description]}. Strings without '=' are
 * skipped. Other serialisations are read too: {@code {"Name":..,"Value":..}} elements, and a
 * plain JSON object of key → value. Keys compare ignoring case; values are trimmed.
 */
final class ThreeCxProperties {

    /** Greedy group 1 makes the marker the last "(Word)" that only a description follows. */
    static final Pattern TYPED = Pattern.compile("(?s)^(.*)\\((\\w+)\\)\\s*(\\[.*])?\\s*$");
    static final Pattern DESCRIBED = Pattern.compile("(?s)^(.*?)\\s+\\[[^\\[]*]\\s*$");

    private ThreeCxProperties() {
    }

    /** The properties of an extension; empty when the node is missing or of another shape. */
    static Map<String, String> read(JsonNode properties) {
        return read(properties, null);
    }

    /**
     * Only the named properties (case-insensitive; null: all). A 3CX extension carries dozens of
     * {@code KEY=VALUE(Type) [description]} strings and the translator needs two: the key is cut
     * with indexOf, and only wanted entries go through the full parse (measured in docs/benchmarks.md).
     */
    static Map<String, String> read(JsonNode properties, java.util.Set<String> wanted) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (!LenientJson.present(properties)) {
            return out;
        }
        if (properties.isArray()) {
            for (JsonNode element : properties) {
                if (element.isTextual()) {
                    if (wanted != null && !wanted(element.textValue(), wanted)) {
                        continue;
                    }
                    Map.Entry<String, String> e = parse(element.textValue());
                    if (e != null) {
                        out.put(e.getKey(), e.getValue());
                    }
                } else if (element.isObject()) {
                    String key = LenientJson.text(first(element, "Name", "name", "Key", "key"));
                    if (key != null && !key.isEmpty()) {
                        String value = LenientJson.text(first(element, "Value", "value"));
                        out.put(key, value == null ? "" : value);
                    }
                }
            }
        } else if (properties.isObject()) {
            for (Map.Entry<String, JsonNode> f : properties.properties()) {
                String value = LenientJson.text(f.getValue());
                out.put(f.getKey().strip(), value == null ? "" : value);
            }
        }
        return out;
    }

    /** Whether the key (before the first '=', stripped) is wanted; compared in place, no substring per property. */
    private static boolean wanted(String property, java.util.Set<String> wanted) {
        return wanted((CharSequence) property, wanted);
    }

    /**
     * {@link #wanted(String, java.util.Set)} for a string still in a parser's buffer ({@code length}
     * characters at {@code offset}), so that the properties nobody reads never become strings.
     */
    static boolean wanted(char[] buffer, int offset, int length, java.util.Set<String> wanted) {
        return wanted(java.nio.CharBuffer.wrap(buffer, offset, length), wanted);
    }

    /**
     * {@link #wanted(String, java.util.Set)} for a JSON string still undecoded in the body, its opening
     * quote at {@code quote}: decided from the bytes up to the first '=' when they are plain ASCII (so
     * the parser can skip the string without decoding it); null when it cannot be decided that way (an
     * escape, a non-ASCII or control byte before the '=', or no quote there) and the text must be read.
     */
    static Boolean wantedInBody(byte[] body, long quote, java.util.Set<String> wanted) {
        if (quote < 0 || quote >= body.length || body[(int) quote] != '"') {
            return null;
        }
        int from = (int) quote + 1;
        for (int i = from; i < body.length; i++) {
            byte c = body[i];
            if (c == '=') {
                return wanted(new Ascii(body, from, i + 1), wanted);
            }
            if (c == '"') {
                return Boolean.FALSE; // the string ends without '=': no key
            }
            if (c == '\\' || c < 0x20) { // an escape or a control byte (c < 0 is non-ASCII)
                return null;
            }
        }
        return null;
    }

    /** ASCII bytes seen as characters, without copying. */
    private record Ascii(byte[] bytes, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return (char) bytes[from + index];
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Ascii(bytes, from + start, from + end);
        }

        @Override
        public String toString() {
            return new String(bytes, from, to - from, java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private static boolean wanted(CharSequence property, java.util.Set<String> wanted) {
        int eq = -1;
        for (int i = 0; i < property.length(); i++) {
            if (property.charAt(i) == '=') {
                eq = i;
                break;
            }
        }
        if (eq <= 0) {
            return false;
        }
        int from = 0;
        int to = eq;
        while (from < to && Character.isWhitespace(property.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(property.charAt(to - 1))) {
            to--;
        }
        for (String w : wanted) {
            if (w.length() == to - from && equalsIgnoreCase(property, from, w)) {
                return true;
            }
        }
        return false;
    }

    /** {@code String.regionMatches(true, from, w, 0, w.length())} for any CharSequence. */
    private static boolean equalsIgnoreCase(CharSequence s, int from, String w) {
        for (int i = 0; i < w.length(); i++) {
            char a = s.charAt(from + i);
            char b = w.charAt(i);
            if (a != b) {
                char ua = Character.toUpperCase(a);
                char ub = Character.toUpperCase(b);
                if (ua != ub && Character.toLowerCase(ua) != Character.toLowerCase(ub)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One {@code KEY=VALUE(Type) [description]} string; null when it has no '=' or no key. */
    static Map.Entry<String, String> parse(String property) {
        if (property == null) {
            return null;
        }
        int eq = property.indexOf('=');
        if (eq <= 0) {
            return null;
        }
        String key = property.substring(0, eq).strip();
        if (key.isEmpty()) {
            return null;
        }
        String rest = property.substring(eq + 1);
        int typed = typeMarker(rest);
        String value;
        if (typed >= 0) {
            value = rest.substring(0, typed);
        } else {
            int described = description(rest);
            value = described >= 0 ? rest.substring(0, described) : rest;
        }
        return Map.entry(key, value.strip());
    }

    /*
     * The two patterns below are matched by hand: a 3CX poll reads two properties per extension, and
     * the regular expressions' backtracking over each description was a seventh of a 100,000-extension
     * translation (issue 13). The patterns stay as the definition; ThreeCxPropertiesTest compares both.
     */

    /**
     * Where {@link #TYPED} ends its group 1: the last '(' that starts {@code (Word)} followed only by
     * white space and an optional {@code [description]}; -1 when there is none.
     */
    static int typeMarker(String rest) {
        for (int open = rest.lastIndexOf('('); open >= 0; open = open == 0 ? -1 : rest.lastIndexOf('(', open - 1)) {
            int i = open + 1;
            while (i < rest.length() && isWordChar(rest.charAt(i))) {
                i++;
            }
            if (i > open + 1 && i < rest.length() && rest.charAt(i) == ')' && onlyDescriptionAfter(rest, i + 1)) {
                return open;
            }
        }
        return -1;
    }

    /** {@code \s*(\[.*])?\s*$} from {@code from}. */
    private static boolean onlyDescriptionAfter(String s, int from) {
        int k = from;
        while (k < s.length() && isRegexSpace(s.charAt(k))) {
            k++;
        }
        int end = trimmedEnd(s);
        return k >= end || (s.charAt(k) == '[' && end - 1 > k && s.charAt(end - 1) == ']');
    }

    /**
     * Where {@link #DESCRIBED} ends its group 1: the start of the white space before the last '[', when
     * that '[' opens a description that closes with ']' at the end (trailing white space aside); -1 otherwise.
     */
    static int description(String rest) {
        int open = rest.lastIndexOf('[');
        int end = trimmedEnd(rest);
        if (open < 1 || end - 1 <= open || rest.charAt(end - 1) != ']' || !isRegexSpace(rest.charAt(open - 1))) {
            return -1;
        }
        int i = open - 1;
        while (i > 0 && isRegexSpace(rest.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    /** The length of {@code s} without trailing {@code \s} characters. */
    private static int trimmedEnd(String s) {
        int end = s.length();
        while (end > 0 && isRegexSpace(s.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** {@code \w} of java.util.regex (ASCII letters, digits, '_'). */
    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** {@code \s} of java.util.regex: [ \t\n\x0B\f\r]. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static JsonNode first(JsonNode object, String... names) {
        for (String n : names) {
            JsonNode v = object.get(n);
            if (LenientJson.present(v)) {
                return v;
            }
        }
        return null;
    }
}
