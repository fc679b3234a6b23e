package pbx.presence.connector;

/**
 * A poll that could not fetch its payload: a non-2xx answer, a timeout, a refused or broken
 * connection. The message names the request and the problem in words an operator can act on, for
 * example {@code "GET /showstatus/201: timed out after 2000 ms"} or {@code "GET /showallcalls: HTTP 500"},
 * never a credential. A poll that throws this changes no state.
 */
public class PollException extends RuntimeException {
    public PollException(String message) {
        super(message);
    }

    public PollException(String message, Throwable cause) {
        super(message, cause);
    }
}
