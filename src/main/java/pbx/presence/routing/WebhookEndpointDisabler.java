package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Disables the webhook sink after the receiver answered 410 Gone (Standard Webhooks: the endpoint
 * no longer exists and must not be called again). Says so at ERROR, once, with what to do, and
 * stops the sink's route; its position in the event log stays before every undelivered event, for the next start
 * with a corrected {@code presence.webhook.url}. Nothing is dead-lettered and nothing else stops:
 * polling, the file and the e-mail go on.
 */
public final class WebhookEndpointDisabler implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.webhook");

    private final String routeId;
    private final AtomicBoolean disabled = new AtomicBoolean();

    public WebhookEndpointDisabler(String routeId) {
        this.routeId = routeId;
    }

    @Override
    public void process(Exchange exchange) {
        if (!disabled.compareAndSet(false, true)) {
            return;
        }
        LOG.error("WEBHOOK DISABLED: the receiver answered 410 Gone for event {}: this webhook endpoint no longer exists. "
                        + "Route {} is stopped; undelivered events stay in the event log and are delivered, in order, "
                        + "after presence.webhook.url is corrected and the router restarted.",
                exchange.getProperty(Headers.EVENT_ID), routeId);
        var context = exchange.getContext();
        // a route cannot stop itself from inside one of its own exchanges: stop it from another thread
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                LOG.error("Could not stop route {} after 410 Gone: {}", routeId, e.getMessage());
            }
        }, "webhook-disable");
        stopper.setDaemon(true);
        stopper.start();
    }
}
