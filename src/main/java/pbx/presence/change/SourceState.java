package pbx.presence.change;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything the router remembers about one source between polls and across restarts.
 *
 * @param extensions per extension number, its last state and sequence
 * @param sequence sequence of the last source-level event (down / up)
 * @param down whether the source is currently reported DOWN
 */
public record SourceState(String sourceId, Map<String, ExtensionState> extensions, long sequence, boolean down) {

    public SourceState {
        extensions = extensions == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extensions);
    }
}
