package pbx.presence.model;

/** Derived availability; see {@link AvailabilityRule}. */
public enum Availability {
    AVAILABLE, BUSY, AWAY, DND, OFFLINE, UNKNOWN
}
