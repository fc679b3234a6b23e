package pbx.presence.model;

/** Telephony state of the extension's line. BUSY means in use, kind unknown. */
public enum LineState {
    IDLE, DIALING, RINGING, TALKING, HOLD, BUSY, UNAVAILABLE, UNKNOWN;

    /** True when the line is doing something that makes the person busy. */
    public boolean inUse() {
        return this == DIALING || this == RINGING || this == TALKING || this == HOLD || this == BUSY;
    }

    /**
     * The state that describes a line with calls in states {@code a} and {@code b}: talking beats
     * dialing (a consultation call) beats ringing (a waiting call) beats hold beats a call of unknown
     * kind beats idle.
     */
    public static LineState busier(LineState a, LineState b) {
        return a.rank() >= b.rank() ? a : b;
    }

    private int rank() {
        return switch (this) {
            case TALKING -> 6;
            case DIALING -> 5;
            case RINGING -> 4;
            case HOLD -> 3;
            case BUSY -> 2;
            case IDLE -> 1;
            case UNAVAILABLE, UNKNOWN -> 0;
        };
    }
}
