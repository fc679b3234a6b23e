package pbx.presence.config;

import org.apache.camel.util.URISupport;

import java.util.ArrayList;
import java.util.List;

/**
 * The one line an operator reads when the router cannot start, whatever went wrong: a
 * {@link ConfigurationException}'s own message, or else the outermost message (which usually names
 * the key, route or file) and the innermost cause (which says what was wrong with it). Line breaks
 * are flattened and anything that looks like a password in a URI is masked.
 */
public final class StartFailure {

    private static final String PREFIX = "PBX Presence Router cannot start: ";

    private StartFailure() {
    }

    /** "PBX Presence Router cannot start: …", one line. */
    public static String line(Throwable failure) {
        return PREFIX + oneLine(URISupport.sanitizeUri(reason(failure)));
    }

    /** The line for a run that ended with a non-zero exit code but no exception. */
    public static String exitCode(int code) {
        return "PBX Presence Router stopped: Camel Main ended with exit code " + code + " (see the log above)";
    }

    private static String reason(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            if (t instanceof ConfigurationException) {
                return t.getMessage();
            }
            chain.add(t);
        }
        Throwable outer = chain.stream().filter(t -> t.getMessage() != null && !t.getMessage().isBlank()).findFirst()
                .orElse(failure);
        Throwable root = chain.get(chain.size() - 1);
        String first = describe(outer);
        if (root == outer) {
            return first;
        }
        String last = describe(root);
        return first.contains(String.valueOf(root.getMessage())) ? first : first + "; caused by " + last;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        String type = t.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return type;
        }
        // the JDK's exceptions have terse messages (a file exception's is just the path): keep the type, it says what happened
        return t.getClass().getName().startsWith("java.") ? type + ": " + message : message;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").replaceAll(" {2,}", " ").strip();
    }
}
