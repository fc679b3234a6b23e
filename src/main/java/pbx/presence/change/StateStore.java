package pbx.presence.change;

import java.util.Optional;

/**
 * Durable last-known state per source. Implementations must make {@link #save} atomic: after a
 * crash, {@link #load} returns either the previous or the new state, never a mix.
 */
public interface StateStore {

    Optional<SourceState> load(String sourceId);

    void save(SourceState state);
}
