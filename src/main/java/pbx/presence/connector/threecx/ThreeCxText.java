package pbx.presence.connector.threecx;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a body of the 3CX HTTP API wrapper (plain text, some answers wrapped in minimal HTML,
 * lines separated by {@code <br>} and/or newlines) into its non-blank text lines.
 *
 * <p>Only things that look like HTML are removed: {@code <head>}, {@code <script>} and
 * {@code <style>} blocks, comments, doctype, and tags whose name is a word followed by space,
 * '/' or '&gt;'. So {@code <br>} and {@code </body>} go, but a value such as
 * {@code <sip:201@10.0.0.5>} stays. {@code <br>}, {@code <p>}, {@code <div>}, {@code <li>} and
 * {@code <tr>} end a line; common entities are decoded; each line is trimmed, including
 * non-breaking spaces.
 */
final class ThreeCxText {

    private static final Pattern BLOCKS = Pattern.compile(
            "(?is)<!--.*?-->|<(head|script|style)\\b[^>]*>.*?</\\1\\s*>|<!doctype[^>]*>|<\\?xml[^>]*\\?>");
    private static final Pattern LINE_BREAKS = Pattern.compile(
            "(?i)<\\s*br\\s*/?\\s*>|</?\\s*(p|div|li|tr|table|ul|ol|h[1-6])(\\s[^<>]*)?/?\\s*>");
    private static final Pattern TAGS = Pattern.compile("</?[A-Za-z][A-Za-z0-9]*(\\s[^<>]*)?/?>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});");

    private ThreeCxText() {
    }

    /** The body's non-blank lines, tags removed, trimmed. Empty for null or blank bodies. */
    static List<String> lines(String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        String s = BLOCKS.matcher(body).replaceAll("");
        s = LINE_BREAKS.matcher(s).replaceAll("\n");
        s = TAGS.matcher(s).replaceAll("");
        s = decodeEntities(s);
        return s.lines().map(ThreeCxText::trim).filter(l -> !l.isEmpty()).toList();
    }

    /** The body's lines joined with '\n': the readable raw value kept in vendorStatus. */
    static String text(String body) {
        return String.join("\n", lines(body));
    }

    /** A short, single-line quotation of a body for error messages. */
    static String quote(String body) {
        if (body == null) {
            return "nothing";
        }
        if (body.isBlank()) {
            return body.isEmpty() ? "an empty body" : "a blank body";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        if (oneLine.length() > 80) {
            oneLine = oneLine.substring(0, 80) + "…";
        }
        return "'" + oneLine + "'";
    }

    private static String trim(String line) {
        int start = 0;
        int end = line.length();
        while (start < end && blank(line.charAt(start))) {
            start++;
        }
        while (end > start && blank(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(start, end);
    }

    private static boolean blank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }

    private static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                replacement = codePoint(Integer.parseInt(name.substring(2), 16), m.group());
            } else if (name.startsWith("#")) {
                replacement = codePoint(Integer.parseInt(name.substring(1)), m.group());
            } else {
                replacement = switch (name) {
                    case "amp" -> "&";
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "quot" -> "\"";
                    case "apos" -> "'";
                    case "nbsp" -> " ";
                    default -> m.group();
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String codePoint(int cp, String original) {
        return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : original;
    }
}
