package pbx.presence.model;

/** Queue agent state. NONE: the extension is not a queue agent. */
public enum AgentState {
    LOGGED_IN, PAUSED, LOGGED_OUT, NONE, UNKNOWN
}
