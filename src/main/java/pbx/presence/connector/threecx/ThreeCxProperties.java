package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
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
    private static final Pattern TYPED = Pattern.compile("(?s)^(.*)\\((\\w+)\\)\\s*(\\[.*])?\\s*$");
    private static final Pattern DESCRIBED = Pattern.compile("(?s)^(.*?)\\s+\\[[^\\[]*]\\s*$");

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
        int eq = property.indexOf('=');
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
            if (w.length() == to - from && property.regionMatches(true, from, w, 0, w.length())) {
                return true;
            }
        }
        return false;
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
        Matcher typed = TYPED.matcher(rest);
        String value;
        if (typed.matches()) {
            value = typed.group(1);
        } else {
            Matcher described = DESCRIBED.matcher(rest);
            value = described.matches() ? described.group(1) : rest;
        }
        return Map.entry(key, value.strip());
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
