package pbx.presence.connector.voipnow;

import pbx.presence.model.LineState;

/**
 * An entry's {@code status} (seed 001 / VENDORS.md §4): the extension's line state. The API has no
 * user-chosen presence (away, DND …), so this is all it says besides registration.
 */
enum VoipNowStatus {
    /** 0: the PBX does not know. */
    UNKNOWN(0, LineState.UNKNOWN),
    /** 1: online and idle. */
    ONLINE(1, LineState.IDLE),
    /** 2: a call is ringing. */
    RINGING(2, LineState.RINGING),
    /** 3: busy (on a call; which kind the API does not say). */
    BUSY(3, LineState.BUSY);

    final int code;
    final LineState line;

    VoipNowStatus(int code, LineState line) {
        this.code = code;
        this.line = line;
    }

    /** The documented value for a code, or null for a code nobody documented. */
    static VoipNowStatus of(int code) {
        for (VoipNowStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
