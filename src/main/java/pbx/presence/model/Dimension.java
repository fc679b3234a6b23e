package pbx.presence.model;

/**
 * The canonical dimensions a vendor value feeds. {@link ExtensionPresence#unrecognised()} names the
 * dimensions for which a connector received a value it does not recognise (the raw value stays in
 * {@code vendorStatus}); {@link AvailabilityRule} never counts such an extension as AVAILABLE.
 */
public enum Dimension {
    /** Administrative enabled / blocked flag. */
    ENABLED(false),
    /** What the user chose: profile, presence state, status name. */
    PRESENCE(false),
    /** Chat / app status (3CX CHATSTATUS). */
    CHAT(false),
    /** Device registration. */
    REGISTRATION(false),
    /** Whether the line is free: a line, call or status code (VoipNow status, a call state). */
    LINE(true),
    /** Which calls get through: a status's call classes (Telphin), a presence policy (TelecomX). */
    CALL_POLICY(true);

    private final boolean decidesWhetherCallsRing;

    Dimension(boolean decidesWhetherCallsRing) {
        this.decidesWhetherCallsRing = decidesWhetherCallsRing;
    }

    /** True when a value of this dimension says whether an inbound call would ring now. */
    public boolean decidesWhetherCallsRing() {
        return decidesWhetherCallsRing;
    }
}
