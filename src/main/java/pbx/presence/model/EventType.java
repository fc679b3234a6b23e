package pbx.presence.model;

/** CloudEvents {@code type} values the router emits. */
public enum EventType {
    CHANGED("pbx.presence.changed"),
    ADDED("pbx.extension.added"),
    REMOVED("pbx.extension.removed"),
    SOURCE_DOWN("pbx.source.down"),
    SOURCE_UP("pbx.source.up");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    /** The CloudEvents type string, e.g. {@code pbx.presence.changed}. */
    public String wire() {
        return wire;
    }

    public static EventType fromWire(String wire) {
        for (EventType t : values()) {
            if (t.wire.equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + wire + "'");
    }
}
