package pbx.presence.connector;

/**
 * A vendor payload that cannot be translated: malformed, truncated, wrong types. The message says
 * what was wrong in words an operator can act on, never a credential. A poll that throws this
 * changes no state.
 */
public class PayloadException extends RuntimeException {
    public PayloadException(String message) {
        super(message);
    }

    public PayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
