package pbx.presence.change;

import java.util.Collections;
import java.util.Map;

/**
 * Everything the router remembers about one source between polls and across restarts.
 *
 * @param extensions per extension number, its last state and sequence
 * @param sequence sequence of the last source-level event (down / up)
 * @param down whether the source is currently reported DOWN
 */
public record SourceState(String sourceId, Map<String, ExtensionState> extensions, long sequence, boolean down) {

    /**
     * Takes ownership of {@code extensions} without copying it (a poll with changes already builds a
     * fresh map; a second copy of 100,000 entries per poll would be wasted) and exposes it read-only.
     * Callers must not change the map afterwards.
     */
    public SourceState {
        extensions = extensions == null ? Map.of() : Collections.unmodifiableMap(extensions);
    }
}
