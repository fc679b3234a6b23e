package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;

/**
 * Telphin's own reader on top of {@link LenientJson} (which parses its bodies and reads its
 * scalars): identifiers, which Telphin sends as numbers in one body and as strings in another.
 */
final class TelphinJson {

    private TelphinJson() {
    }

    /**
     * An identifier as text: {@code 17}, {@code "17"} and {@code 17.0} all read as "17", so an id sent
     * as a number in one body and as a string in another still matches.
     */
    static String id(JsonNode n) {
        if (!LenientJson.present(n) || n.isContainerNode()) {
            return null;
        }
        if (n.isNumber() && (n.isIntegralNumber() || n.doubleValue() == Math.rint(n.doubleValue()))) {
            return Long.toString(n.longValue());
        }
        String t = LenientJson.text(n);
        if (t == null || t.isEmpty()) {
            return null;
        }
        if (t.matches("-?\\d+\\.0+")) {
            t = t.substring(0, t.indexOf('.'));
        }
        return t;
    }
}
