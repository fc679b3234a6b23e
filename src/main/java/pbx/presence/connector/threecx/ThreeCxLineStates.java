package pbx.presence.connector.threecx;

import pbx.presence.model.LineState;

import java.util.Locale;

/**
 * 3CX connection states ({@code S=} in {@code showallcalls}, {@code Status} of an active
 * connection) as {@link LineState}, and how several calls of one extension combine.
 */
final class ThreeCxLineStates {

    private ThreeCxLineStates() {
    }

    /**
     * Connected/Talking/Established → TALKING, Ringing/Alerting/Offering → RINGING,
     * Dialing/Dialling/Calling → DIALING, Hold/OnHold/Held → HOLD; anything else, null or blank
     * (a call whose kind nobody documented) → BUSY. Case, spaces, '-' and '_' are ignored.
     */
    static LineState of(String vendorState) {
        if (vendorState == null) {
            return LineState.BUSY;
        }
        String s = vendorState.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
        return switch (s) {
            case "connected", "talking", "established", "answered" -> LineState.TALKING;
            case "ringing", "alerting", "offering" -> LineState.RINGING;
            case "dialing", "dialling", "calling" -> LineState.DIALING;
            case "hold", "onhold", "held" -> LineState.HOLD;
            default -> LineState.BUSY;
        };
    }

    /**
     * True when {@link #of} knows the state, or none is stated (null or blank: a call of unstated
     * kind); false for a state nobody documented, which {@link #of} can only read as BUSY.
     */
    static boolean recognises(String vendorState) {
        if (vendorState == null || vendorState.isBlank()) {
            return true;
        }
        String s = vendorState.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
        return s.equals("busy") || of(vendorState) != LineState.BUSY;
    }
}
