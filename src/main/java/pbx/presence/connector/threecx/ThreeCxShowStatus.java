package pbx.presence.connector.threecx;

import pbx.presence.connector.PayloadException;

import java.util.List;
import java.util.Locale;

/**
 * Reads the HTTP API's {@code GET /showstatus/{ext}} body: {@code "    CURRENT_STATUS=<profile>"}
 * with leading spaces, possibly wrapped in minimal HTML, possibly among other lines.
 */
final class ThreeCxShowStatus {

    private static final String KEY = "CURRENT_STATUS";

    private ThreeCxShowStatus() {
    }

    /**
     * The profile name as sent, trimmed; empty when the wrapper sent {@code CURRENT_STATUS=} with no
     * name.
     *
     * @throws PayloadException when no line is {@code CURRENT_STATUS=…} (the wrapper answers
     *         {@code idle} for actions it does not know), naming the extension and the path
     */
    static String profileName(String extension, String body) {
        List<String> lines = ThreeCxText.lines(body);
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().toUpperCase(Locale.ROOT).equals(KEY)) {
                return line.substring(eq + 1).strip();
            }
        }
        throw new PayloadException(ThreeCxHttpTranslator.WHAT + ": extension " + extension + ": GET /showstatus/"
                + extension + " answered " + ThreeCxText.quote(lines.isEmpty() ? body : String.join(" ", lines))
                + ", expected '" + KEY + "=<profile>'");
    }
}
