package pbx.presence.model;

/** Why an extension is not AVAILABLE, or why it does not accept calls. */
public enum Reason {
    DISABLED("disabled"),
    NOT_REGISTERED("no device registered"),
    DND("do not disturb"),
    CHAT_DND("chat status do not disturb"),
    PRESENCE_DND("presence do not disturb"),
    PRESENCE_INVISIBLE("presence invisible"),
    CALLS_BLOCKED_BY_STATUS("status blocks inbound calls"),
    CALLS_BLOCKED_BY_PRESENCE_POLICY("presence policy blocks calls"),
    RINGING("ringing"),
    DIALING("dialing"),
    ON_CALL("on a call"),
    ON_HOLD("call on hold"),
    PROFILE_BUSY("status busy"),
    PROFILE_AWAY("status away"),
    PROFILE_OUT_OF_OFFICE("out of office"),
    PROFILE_OFF_WORK("off work"),
    PROFILE_HOLIDAY("on holiday"),
    PROFILE_LUNCH("at lunch"),
    PROFILE_BUSINESS_TRIP("on a business trip"),
    PROFILE_OFFLINE("presence offline"),
    PROFILE_CUSTOM("custom status"),
    CHAT_AWAY("chat status away"),
    CHAT_INVISIBLE("chat status invisible"),
    CHAT_OFFLINE("chat status offline"),
    UNRECOGNISED_VENDOR_VALUE("a PBX value the router does not recognise"),
    AGENT_LOGGED_OUT("logged out of queues"),
    SOURCE_DOWN("PBX source unreachable"),
    NO_DATA("PBX reported nothing usable");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    /** Short human wording, used in e-mail subjects and logs ("on a call"). */
    public String text() {
        return text;
    }
}
