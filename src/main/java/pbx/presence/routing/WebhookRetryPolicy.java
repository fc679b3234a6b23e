package pbx.presence.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.delivery.RetryAfter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * Decides, per failed webhook attempt, whether Camel's redelivery should try again (the
 * {@code retryWhile} of the webhook sink's error handler), and what happens to an event that is not
 * retried (the {@code handled} predicate and the dead-letter log line).
 *
 * <ul>
 * <li>Retried, up to {@code maxAttempts} attempts in all (first try included): 408, 425, 429, 5xx and
 *     network errors (connection refused, timeouts, resets).</li>
 * <li>Final, straight to the dead letter: 410 (the receiver says the endpoint is gone; a later
 *     version may disable the sink) and every other status outside 2xx, and events that are not
 *     valid JSON (retrying cannot fix them).</li>
 * <li>{@code Retry-After} (seconds or HTTP-date, capped at {@code maxRetryAfter}) replaces the
 *     exponential backoff for the next attempt. Mechanism: Camel 4.18's
 *     {@code RedeliveryErrorHandler} evaluates {@code retryWhile} and <em>then</em>
 *     {@code determineRedeliveryDelay}, which uses the {@code CamelRedeliveryDelay} header of the
 *     in-message when present (the redelivery itself restores the original message, so the header
 *     does not leak into the next attempt). The error handler keeps that delay as its "previous
 *     delay", so a later retry without Retry-After backs off from it.</li>
 * <li>While Camel is stopping, a failed event is <em>not</em> dead-lettered: Camel refuses to
 *     redeliver during shutdown, and dead-lettering then would empty the outbox of everything a
 *     restart during an outage still had to deliver. The exchange stays failed instead, the outbox
 *     file stays, and the next start delivers it again (same ids).</li>
 * </ul>
 */
public final class WebhookRetryPolicy {

    /** Exchange property: one line on why the event was not delivered, for the dead-letter log. */
    public static final String FAILURE = "PbxWebhookFailure";

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.webhook");

    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final Clock clock;

    public WebhookRetryPolicy(int maxAttempts, Duration maxRetryAfter, Clock clock) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("presence.webhook.max-attempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = maxRetryAfter;
        this.clock = clock;
    }

    /**
     * Camel's retryWhile: true to redeliver. Called after each failed attempt, when Camel has counted
     * it in {@code CamelRedeliveryCounter} (1 after the first failure).
     */
    public boolean shouldRetry(Exchange exchange) {
        Throwable error = exchange.getException();
        int failedAttempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        Object id = exchange.getProperty(Headers.EVENT_ID);
        if (!retryable(error)) {
            exchange.setProperty(FAILURE, finalReason(error));
            return false;
        }
        if (failedAttempts >= maxAttempts) {
            exchange.setProperty(FAILURE, "gave up after " + failedAttempts + (failedAttempts == 1 ? " attempt" : " attempts")
                    + " (presence.webhook.max-attempts), last: " + PollProblems.describe(error));
            return false;
        }
        String wait = "";
        if (error instanceof HttpOperationFailedException h && h.getResponseHeaders() != null) {
            var delay = RetryAfter.parse(retryAfterHeader(h), clock.instant(), maxRetryAfter);
            if (delay.isPresent()) {
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay.get().toMillis());
                wait = " after Retry-After " + delay.get().toMillis() + " ms";
            }
        }
        LOG.warn("Webhook delivery of {} failed (attempt {} of {}): {}; retrying{}",
                id, failedAttempts, maxAttempts, PollProblems.describe(error), wait);
        return true;
    }

    /**
     * The error handler's {@code handled} predicate: true (dead-letter the event and go on with the
     * next) unless Camel is stopping, in which case the failure stays on the exchange so the outbox
     * file is kept for the next start.
     */
    public boolean deadLetter(Exchange exchange) {
        return !stopping(exchange);
    }

    static boolean stopping(Exchange exchange) {
        Throwable caught = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (caught instanceof RejectedExecutionException) {
            return true; // Camel's "Redelivery not allowed while stopping"
        }
        var context = exchange.getContext();
        if (context.isStopping() || context.isStopped()) {
            return true;
        }
        String routeId = exchange.getFromRouteId();
        if (routeId != null) {
            ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
            return status != null && (status.isStopping() || status.isStopped());
        }
        return false;
    }

    static boolean retryable(Throwable error) {
        if (error instanceof HttpOperationFailedException h) {
            int s = h.getStatusCode();
            return s == 408 || s == 425 || s == 429 || s >= 500;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return false; // a malformed event line: a retry reads the same bytes
            }
            if (t instanceof HttpOperationFailedException) {
                return retryable(t);
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static String finalReason(Throwable error) {
        String what = error == null ? "unknown error" : PollProblems.describe(error);
        if (error instanceof HttpOperationFailedException h) {
            int s = h.getStatusCode();
            if (s == 410) {
                return what + " (410 Gone: the receiver says this webhook endpoint no longer exists; not retried, "
                        + "check presence.webhook.url with the receiver's owner)";
            }
            if (s >= 300 && s < 400) {
                return what + " (a redirect is not followed for a signed POST; not retried, update presence.webhook.url)";
            }
            return what + " (the receiver rejected the event; not retried)";
        }
        return what + " (not retryable)";
    }

    private static String retryAfterHeader(HttpOperationFailedException h) {
        for (var e : h.getResponseHeaders().entrySet()) {
            if ("Retry-After".equalsIgnoreCase(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }
}
