package pbx.presence.demo;

import java.util.Objects;

/**
 * One call leg of a simulated extension.
 *
 * @param callId      3CX call id (the {@code ID=} of showallcalls, {@code CallID} of ActiveConnections)
 * @param state       {@link #CONNECTED}, {@link #RINGING} or {@link #DIALING} (any other string is served as given)
 * @param remoteParty the other party's number ({@code EP=}, {@code ExternalParty})
 * @param queueName   name of the queue the call came through, or null for a direct call
 * @param queueNumber number of that queue, or null
 */
public record SimulatedCall(long callId, String state, String remoteParty, String queueName, String queueNumber) {

    public static final String CONNECTED = "Connected";
    public static final String RINGING = "Ringing";
    public static final String DIALING = "Dialing";

    public SimulatedCall {
        Objects.requireNonNull(state, "state");
        remoteParty = remoteParty == null ? "" : remoteParty;
    }

    /** A direct (non-queue) call. */
    public static SimulatedCall direct(long callId, String state, String remoteParty) {
        return new SimulatedCall(callId, state, remoteParty, null, null);
    }

    /** A call that came in through a queue. */
    public static SimulatedCall viaQueue(long callId, String state, String remoteParty, String queueName, String queueNumber) {
        return new SimulatedCall(callId, state, remoteParty, queueName, queueNumber);
    }

    public SimulatedCall withState(String newState) {
        return new SimulatedCall(callId, newState, remoteParty, queueName, queueNumber);
    }

    /** True unless the extension placed the call ({@link #DIALING}). */
    public boolean inbound() {
        return !DIALING.equalsIgnoreCase(state);
    }

    public boolean viaQueue() {
        return queueName != null && !queueName.isEmpty();
    }
}
