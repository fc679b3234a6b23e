package pbx.presence.connector.telecomx;

import pbx.presence.model.Presence;

/**
 * A TelecomX employee presence state (VENDORS.md §6) and the extension field that holds the call
 * policy for it (seed 004: {@code onPresenceOffWork}, {@code onPresenceHoliday}, {@code onPresenceBusy}).
 * WORK has no policy field: calls are handled normally.
 */
enum TelecomXPresenceState {
    WORK(Presence.AVAILABLE, null),
    OFF_WORK(Presence.OFF_WORK, "onPresenceOffWork"),
    HOLIDAY(Presence.HOLIDAY, "onPresenceHoliday"),
    BUSY(Presence.BUSY, "onPresenceBusy");

    private final Presence presence;
    private final String policyField;

    TelecomXPresenceState(Presence presence, String policyField) {
        this.presence = presence;
        this.policyField = policyField;
    }

    Presence presence() {
        return presence;
    }

    /** The extension field with the call policy for this state; null for WORK. */
    String policyField() {
        return policyField;
    }

    /** The state for a raw value (case, '-' and spaces ignored), or null when nobody documented it. */
    static TelecomXPresenceState parse(String raw) {
        String t = TelecomXJson.token(raw);
        for (TelecomXPresenceState s : values()) {
            if (s.name().equals(t)) {
                return s;
            }
        }
        return null;
    }
}
