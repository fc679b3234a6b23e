package pbx.presence.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.regex.Pattern;

/**
 * Turns a failed poll's exception into one line an operator can act on: what went wrong and on
 * which path, with the vendor's own error text when it sent one, and never a credential (query
 * strings, tokens and passwords are cut out).
 */
public final class PollProblems {

    private static final Pattern URL_QUERY = Pattern.compile("(https?://[^\\s?#]+)[?#][^\\s]*");
    private static final Pattern USERINFO = Pattern.compile("(https?://)[^/\\s@]+@");
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)(access_token|token|password|passwd|secret|client_secret|apikey|api_key)(\"?\\s*[=:]\\s*\"?)[^&\\s\",}]+");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");

    private PollProblems() {
    }

    /** Why a poll failed, as a closed set: the {@code reason} label of {@code pbx_presence_source_poll_failures_total}. */
    public enum Reason {
        /** The PBX answered with an HTTP error status. */
        HTTP_STATUS,
        /** No answer in time. */
        TIMEOUT,
        /** Refused, reset or unknown host. */
        CONNECTION,
        /** An answer the connector could not read (malformed JSON, missing fields, duplicate extensions). */
        PAYLOAD,
        /** The router's own event store could not load or commit. */
        STORE,
        /** Anything else. */
        OTHER;

        /** The label value: {@code http_status}, {@code timeout}, … */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The {@link Reason} of a failed poll, from the first cause that says. */
    public static Reason reason(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof HttpOperationFailedException) {
                return Reason.HTTP_STATUS;
            }
            if (t instanceof pbx.presence.change.StoreException) {
                return Reason.STORE;
            }
            if (t instanceof pbx.presence.connector.PayloadException || t instanceof JsonProcessingException) {
                return Reason.PAYLOAD;
            }
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return Reason.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof java.net.SocketException
                    || t instanceof javax.net.ssl.SSLException) {
                return Reason.CONNECTION;
            }
        }
        // the connectors' own PollException says it in words (see its callers): classify by them
        for (Throwable p = error; p != null; p = p.getCause()) {
            if (p instanceof pbx.presence.connector.PollException && p.getMessage() != null) {
                String m = p.getMessage();
                if (HTTP_STATUS_TEXT.matcher(m).find()) {
                    return Reason.HTTP_STATUS;
                }
                if (m.contains("timed out") || m.contains("no answer within")) {
                    return Reason.TIMEOUT;
                }
                if (m.contains("connection refused") || m.contains("TLS failed") || m.contains("unknown host")) {
                    return Reason.CONNECTION;
                }
                return m.endsWith("interrupted") ? Reason.OTHER : Reason.PAYLOAD;
            }
        }
        return Reason.OTHER;
    }

    private static final Pattern HTTP_STATUS_TEXT = Pattern.compile("HTTP [1-5][0-9][0-9]");

    /**
     * As {@link #describe(Throwable)}, naming the polled URL's path when the problem itself does not
     * (a timeout or refused connection from the HTTP client says nothing about where).
     */
    public static String describe(Throwable error, String polledUrl) {
        String d = describe(error);
        if (polledUrl == null || d.contains(" /") || d.startsWith("GET ")) {
            return d;
        }
        return "GET " + pathOf(polledUrl) + ": " + d;
    }

    public static String describe(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            String d = describeOne(t);
            if (d != null) {
                return redact(d);
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return redact(root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage()));
    }

    private static String describeOne(Throwable t) {
        if (t instanceof HttpOperationFailedException h) {
            String text = pbx.presence.connector.http.ErrorBodies.summary(h.getResponseBody());
            return "HTTP " + h.getStatusCode() + " from " + pathOf(h.getUri()) + (text.isEmpty() ? "" : ": " + text);
        }
        if (t instanceof pbx.presence.connector.PayloadException || t instanceof pbx.presence.connector.PollException) {
            return t.getMessage();
        }
        if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                || t.getClass().getSimpleName().contains("Timeout")) {
            return "timed out" + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
        }
        if (t instanceof ConnectException) {
            return "connection refused" + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
        }
        if (t instanceof UnknownHostException) {
            return "unknown host " + t.getMessage();
        }
        if (t instanceof JsonProcessingException j) {
            return "malformed JSON: " + j.getOriginalMessage();
        }
        return null;
    }

    static String pathOf(String uri) {
        try {
            String p = URI.create(uri).getRawPath();
            return p == null || p.isEmpty() ? "/" : p;
        } catch (RuntimeException e) {
            return redact(uri);
        }
    }

    /** Removes query strings, user-info, bearer tokens and secret-looking parameters. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = URL_QUERY.matcher(text).replaceAll("$1");
        s = USERINFO.matcher(s).replaceAll("$1");
        s = BEARER.matcher(s).replaceAll("$1***");
        return SECRET_PARAM.matcher(s).replaceAll("$1$2***");
    }
}
