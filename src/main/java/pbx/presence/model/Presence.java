package pbx.presence.model;

/** What the user chose: forwarding profile, presence status or status name, normalised. */
public enum Presence {
    AVAILABLE, AWAY, BE_RIGHT_BACK, BUSY, DND, OUT_OF_OFFICE, OFF_WORK, HOLIDAY, LUNCH,
    BUSINESS_TRIP, INVISIBLE, OFFLINE, CUSTOM, UNKNOWN
}
