package pbx.presence.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
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
 * <li>410 Gone: not retried and not dead-lettered; the endpoint is gone, so the sink is disabled
 *     ({@link WebhookEndpointDisabler}) and the event waits in the event log with those after it.</li>
 * <li>Final, straight to the dead letter: every other status outside 2xx, and event lines that are
 *     not valid JSON (retrying cannot fix them).</li>
 * <li>{@code Retry-After} (seconds or HTTP-date, capped at {@code maxRetryAfter}) replaces the
 *     exponential backoff for the next attempt.</li>
 * <li>While Camel is stopping nothing is retried or dead-lettered: the exchange stays failed, the
 *     sink keeps its log position, and the next start delivers the event again (same id). Otherwise a restart
 *     during an outage would either wait out the shutdown timeout or dead-letter what was pending.</li>
 * </ul>
 *
 * <p>How this plugs into Camel 4.18 (checked against {@code RedeliveryErrorHandler} and
 * {@code BeanExpression}): after a failure the error handler counts it in the in-message header
 * {@code CamelRedeliveryCounter}, evaluates {@code retryWhile}, and only then computes the delay,
 * taking the in-message header {@code CamelRedeliveryDelay} when present instead of its backoff
 * (the redelivery itself restores the original message, so the header does not leak into the next
 * attempt; the error handler keeps the value as its "previous delay", so a later retry without
 * Retry-After backs off from it). The route must reference this class as
 * {@code retryWhile: {ref: webhookRetryPolicy}} (a {@link Predicate}, called with the real exchange):
 * a {@code method:} call runs on a copy of the exchange with its exception removed and its
 * in-headers not copied back, so it sees no failure (nothing was ever retried) and its delay header
 * is lost. {@link #deadLetter} is read-only and works as a {@code method:} call; it finds the
 * failure in {@link Exchange#EXCEPTION_CAUGHT}.
 */
public final class WebhookRetryPolicy implements Predicate {

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
     * Camel's retryWhile, used as {@code retryWhile: {ref: webhookRetryPolicy}} so that Camel passes the
     * real exchange. (As a {@code method:} call it would get a copy of the exchange without its
     * exception, and a delay header set on that copy never reaches the error handler.)
     */
    @Override
    public boolean matches(Exchange exchange) {
        return shouldRetry(exchange);
    }

    /**
     * True to redeliver. Called after each failed attempt, when Camel has counted it in
     * {@code CamelRedeliveryCounter} (1 after the first failure).
     */
    public boolean shouldRetry(Exchange exchange) {
        Throwable error = failure(exchange);
        int failedAttempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        if (exchange.getProperty(WebhookRequestProcessor.EVENT_JSON) == null) {
            return false; // the exchange has no event (a replay file as a whole): its consumer keeps the file
        }
        Object id = exchange.getProperty(Headers.EVENT_ID);
        if (id == null) {
            id = "(no id: the line did not parse)";
            exchange.setProperty(Headers.EVENT_ID, id);
        }
        if (stopping(exchange)) {
            return false; // keep shutdown short; deadLetter() leaves the event in the log
        }
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
     * next) unless Camel is stopping, in which case the failure stays on the exchange so the sink
     * keeps its log position and the next start delivers it again.
     */
    public boolean deadLetter(Exchange exchange) {
        return exchange.getProperty(WebhookRequestProcessor.EVENT_JSON) != null && !stopping(exchange) && !gone(exchange);
    }

    /**
     * The receiver answered 410 Gone: per Standard Webhooks the endpoint is to be disabled, not fed
     * further. The event is not dead-lettered; it stays in the log, with everything after it, for the next start.
     */
    public boolean gone(Exchange exchange) {
        return failure(exchange) instanceof HttpOperationFailedException h && h.getStatusCode() == 410;
    }

    /** The failure being handled: on the exchange, or (inside the error handler's failure processing) where Camel keeps it. */
    static Throwable failure(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    static boolean stopping(Exchange exchange) {
        return DeliveryLifecycle.stopping(exchange);
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
