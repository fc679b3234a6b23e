package pbx.presence.change;

/**
 * The store could not load or commit (database down, disk full, permissions, state that does not
 * parse). The message is one line for an operator: what failed and what to do, never a password.
 * The change detector counts it as a failed poll of the source concerned.
 */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
