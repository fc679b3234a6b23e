package pbx.presence.demo;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** URL-encoded forms and query strings as the simulators read them. */
final class SimulatorForms {

    private SimulatorForms() {
    }

    /**
     * URL-encoded {@code k=v&…} (query or form body) → decoded map in order; the first of repeated
     * keys wins, a key without {@code =} maps to {@code ""}, null or empty gives an empty map.
     */
    static Map<String, String> parse(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String kv : raw.split("&")) {
            if (!kv.isEmpty()) {
                String[] parts = kv.split("=", 2);
                out.putIfAbsent(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
            }
        }
        return out;
    }

    static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
