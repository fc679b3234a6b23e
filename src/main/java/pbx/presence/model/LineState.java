package pbx.presence.model;

/** Telephony state of the extension's line. BUSY means in use, kind unknown. */
public enum LineState {
    IDLE, DIALING, RINGING, TALKING, HOLD, BUSY, UNAVAILABLE, UNKNOWN;

    /** True when the line is doing something that makes the person busy. */
    public boolean inUse() {
        return this == DIALING || this == RINGING || this == TALKING || this == HOLD || this == BUSY;
    }
}
