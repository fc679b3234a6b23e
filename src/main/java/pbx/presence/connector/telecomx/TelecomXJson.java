package pbx.presence.connector.telecomx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;

import java.util.Locale;

/**
 * TelecomX's own readers on top of {@link LenientJson} (which parses its bodies and reads its
 * scalars): non-blank text and enum-like tokens. Never throw.
 */
final class TelecomXJson {

    private TelecomXJson() {
    }

    /** Text that is not blank, else null. */
    static String nonBlank(JsonNode n) {
        String t = LenientJson.text(n);
        return t == null || t.isEmpty() ? null : t;
    }

    /** An enum-like value normalised for matching: upper case, '-' and spaces as '_'. */
    static String token(String raw) {
        return raw == null ? null : raw.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
    }
}
