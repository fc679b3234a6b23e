package pbx.presence.change;

import pbx.presence.model.ExtensionPresence;

/**
 * What the store remembers of one extension: its last significant observation and the sequence of
 * the last event emitted for it. {@code last} is null for a removed extension (a tombstone), so a
 * returning extension continues its sequence and never reuses an event id.
 */
public record ExtensionState(ExtensionPresence last, long sequence) {
}
