package pbx.presence.demo;

/**
 * A failure a simulator can be told to inject (see {@link HttpSimulator#setFailure(Failure)}).
 */
public enum Failure {
    /** Normal answers. */
    NONE,
    /** 500 Internal Server Error with a short body. */
    HTTP_500,
    /** 200 OK with a body no parser should accept ({@code <html>oops} for JSON, junk text for the text API). */
    GARBAGE,
    /**
     * The request is accepted and no response is ever written, as the 3CX HTTP API wrapper does on
     * an internal error; the handler is released when the simulator stops.
     */
    HANG,
    /** 200 OK with the normal body cut in half (Content-Length matches the cut body). */
    TRUNCATED
}
