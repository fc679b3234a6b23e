package pbx.presence.connector.threecx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one poll of the 3CX HTTP API wrapper (seed 002) returned, as raw bodies.
 *
 * <p>The extension list is the key order of {@code statusByExtension} (the configured order, kept);
 * {@code registrationByExtension} must have exactly the same keys. No value may be null.
 *
 * @param showAllCalls body of {@code GET /showallcalls}; null is taken as empty (no calls)
 * @param statusByExtension extension → body of {@code GET /showstatus/{ext}}
 * @param registrationByExtension extension → body of {@code GET /dnregs/{ext}}
 */
public record ThreeCxHttpPayload(String showAllCalls, Map<String, String> statusByExtension,
                                 Map<String, String> registrationByExtension) {

    public ThreeCxHttpPayload {
        showAllCalls = showAllCalls == null ? "" : showAllCalls;
        statusByExtension = copy("statusByExtension", statusByExtension);
        registrationByExtension = copy("registrationByExtension", registrationByExtension);
        if (!statusByExtension.keySet().equals(registrationByExtension.keySet())) {
            throw new IllegalArgumentException("statusByExtension has extensions " + statusByExtension.keySet()
                    + " but registrationByExtension has " + registrationByExtension.keySet());
        }
    }

    /** The polled extensions, in configured order. */
    public List<String> extensions() {
        return List.copyOf(statusByExtension.keySet());
    }

    private static Map<String, String> copy(String name, Map<String, String> m) {
        Objects.requireNonNull(m, name);
        Map<String, String> copy = new LinkedHashMap<>(m.size() * 2);
        m.forEach((k, v) -> copy.put(Objects.requireNonNull(k, name + " key"),
                Objects.requireNonNull(v, name + " body of extension " + k)));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        return "ThreeCxHttpPayload[" + new ArrayList<>(statusByExtension.keySet()) + "]";
    }
}
