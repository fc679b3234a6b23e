package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.delivery.RetryAfter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Decides, per failed webhook attempt, whether Camel's redelivery should try again (used as the
 * {@code retryWhile} of the webhook sink's error handler). Retries 408, 425, 429, 5xx and network
 * errors up to {@code maxAttempts}; 410 and other 4xx are final and go to the dead letter. When the
 * receiver sends {@code Retry-After}, that wait replaces the exponential backoff for the next
 * attempt (through Camel's {@code CamelRedeliveryDelay} header).
 */
public final class WebhookRetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.webhook");

    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final Clock clock;

    public WebhookRetryPolicy(int maxAttempts, Duration maxRetryAfter, Clock clock) {
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = maxRetryAfter;
        this.clock = clock;
    }

    /** Camel's retryWhile: true to redeliver. */
    public boolean shouldRetry(Exchange exchange) {
        Throwable error = exchange.getException();
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY);
        if (!retryable(error)) {
            return false;
        }
        if (attempt >= maxAttempts) {
            return false;
        }
        if (error instanceof HttpOperationFailedException h && h.getResponseHeaders() != null) {
            RetryAfter.parse(retryAfterHeader(h), clock.instant(), maxRetryAfter)
                    .ifPresent(d -> exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, d.toMillis()));
        }
        LOG.warn("Webhook delivery of {} failed (attempt {} of {}): {}; retrying",
                exchange.getProperty(Headers.EVENT_ID), attempt, maxAttempts, PollProblems.describe(error));
        return true;
    }

    static boolean retryable(Throwable error) {
        if (error instanceof HttpOperationFailedException h) {
            int s = h.getStatusCode();
            return s == 408 || s == 425 || s == 429 || s >= 500;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
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
