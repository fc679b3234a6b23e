package pbx.presence.connector.telecomx;

/**
 * What an extension does with inbound calls while its employee has a given presence state (seed
 * 004, {@code onPresence<State>}). Only AVAILABLE lets every call through; the BUSY kinds send
 * calls to busy handling (only direct-to-mobile or local callers may still get through); the
 * WHITELIST kinds let only whitelisted (and, for WHITELIST_INT, local) callers through, so an
 * external call would not ring: {@code acceptsCalls} false, as for a Telphin status that admits
 * internal callers only (README, "The canonical model and the availability rule").
 */
enum TelecomXPolicy {
    /** accept call */
    AVAILABLE(true, false),
    /** goto busy state handling */
    BUSY(false, false),
    /** busy handling, unless the call is for the mobile number directly or from a local caller */
    BUSY_NOT_MOBILE(false, false),
    /** busy handling, unless the call is for the mobile number directly */
    BUSY_NOT_MOBILE_DIRECT(false, false),
    /** only calls from numbers on the extension's whitelist */
    WHITELIST(false, true),
    /** only calls from numbers on the whitelist or from local callers */
    WHITELIST_INT(false, true);

    private final boolean acceptsAll;
    private final boolean whitelist;

    TelecomXPolicy(boolean acceptsAll, boolean whitelist) {
        this.acceptsAll = acceptsAll;
        this.whitelist = whitelist;
    }

    /**
     * {@code presenceAcceptsCalls}: TRUE only for AVAILABLE; the WHITELIST kinds count as accepting
     * only when the source says its whitelist covers the callers that matter.
     */
    boolean acceptsCalls(boolean whitelistAcceptsCalls) {
        return acceptsAll || (whitelist && whitelistAcceptsCalls);
    }

    /** The policy for a raw value (case, '-' and spaces ignored), or null when nobody documented it. */
    static TelecomXPolicy parse(String raw) {
        String t = TelecomXJson.token(raw);
        for (TelecomXPolicy p : values()) {
            if (p.name().equals(t)) {
                return p;
            }
        }
        return null;
    }
}
