package pbx.presence.connector.threecx;

import pbx.presence.model.LineState;
import pbx.presence.connector.PayloadException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One call line of the HTTP API's {@code GET /showallcalls}.
 *
 * <p>Older builds: {@code ID=98741:CCID=1:S=Connected:DN=201:EP=+49xxxx:REC=Stop}; newer builds put
 * ';' between fields and add {@code Queue_Name} and {@code Queue_Nummer}. Lines are separated by
 * {@code <br>} and/or newlines, possibly inside minimal HTML; an empty body means no calls. The
 * separator of a line is the first ':' or ';' after its first '='; a piece between separators
 * that does not start with {@code KEY=} belongs to the previous value (so {@code EP=sip:201@host}
 * survives the ':' separator). Field names compare ignoring case.
 *
 * @param id call id ({@code ID}), null when absent
 * @param dn the extension the call is on ({@code DN})
 * @param state connection state as sent ({@code S}), null when absent
 * @param fields every field of the line
 * @param raw the line as sent (tags removed)
 */
record ThreeCxCall(String id, String dn, String state, Map<String, String> fields, String raw) {

    static final String PATH = "/showallcalls";
    private static final Pattern FIELD_START = Pattern.compile("^\\s*[A-Za-z][A-Za-z0-9_]*\\s*=.*", Pattern.DOTALL);

    ThreeCxCall {
        fields = Collections.unmodifiableMap(fields);
    }

    /** The line state this call puts its extension in. */
    LineState lineState() {
        return ThreeCxLineStates.of(state);
    }

    /**
     * All calls of a {@code showallcalls} body, in body order.
     *
     * @throws PayloadException for a line that is not {@code KEY=VALUE} fields or has no DN
     */
    static List<ThreeCxCall> parseAll(String body) {
        List<String> lines = ThreeCxText.lines(body);
        List<ThreeCxCall> calls = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            calls.add(parse(lines.get(i), i + 1));
        }
        return calls;
    }

    private static ThreeCxCall parse(String line, int lineNumber) {
        int eq = line.indexOf('=');
        if (eq <= 0 || !FIELD_START.matcher(line).matches()) {
            throw new PayloadException(ThreeCxHttpTranslator.WHAT + ": GET " + PATH + " line " + lineNumber
                    + " is not a call (expected ID=..:S=..:DN=..): " + ThreeCxText.quote(line));
        }
        char separator = separator(line, eq);
        Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String lastKey = null;
        for (String piece : split(line, separator)) {
            if (piece.isBlank()) {
                continue;
            }
            int e = piece.indexOf('=');
            if (FIELD_START.matcher(piece).matches()) {
                lastKey = piece.substring(0, e).strip();
                fields.put(lastKey, piece.substring(e + 1).strip());
            } else if (lastKey != null) {
                fields.put(lastKey, fields.get(lastKey) + separator + piece.strip());
            }
        }
        String dn = fields.get("DN");
        if (dn == null || dn.isEmpty()) {
            throw new PayloadException(ThreeCxHttpTranslator.WHAT + ": GET " + PATH + " line " + lineNumber
                    + " has no DN: " + ThreeCxText.quote(line));
        }
        return new ThreeCxCall(emptyToNull(fields.get("ID")), dn, emptyToNull(fields.get("S")), fields, line);
    }

    private static char separator(String line, int firstEq) {
        for (int i = firstEq + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ':' || c == ';') {
                return c;
            }
        }
        return ':';
    }

    private static List<String> split(String line, char separator) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == separator) {
                pieces.add(line.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(line.substring(start));
        return pieces;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
