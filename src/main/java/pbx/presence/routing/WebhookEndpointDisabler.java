package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.events.PresenceEventsEndpoint;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Disables one webhook sink after the receiver answered 410 Gone (Standard Webhooks: the endpoint
 * no longer exists and must not be called again). Says so at ERROR, once, with what to do, and
 * stops the sink's route; its position in the event log stays before every undelivered event, for the next start
 * with a corrected URL. Nothing is dead-lettered and nothing else stops: polling, the other
 * webhooks, the file and the e-mail go on. The route stopped is the one consuming
 * {@code presence-events:<sink>} (whatever its id); one instance per sink.
 */
public final class WebhookEndpointDisabler implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.webhook");

    private final String sink;
    private final AtomicBoolean disabled = new AtomicBoolean();

    public WebhookEndpointDisabler(String sink) {
        this.sink = sink;
    }

    /** True once a 410 disabled the sink: nothing more is posted, even before its route has stopped. */
    public boolean disabled() {
        return disabled.get();
    }

    @Override
    public void process(Exchange exchange) {
        if (!disabled.compareAndSet(false, true)) {
            return;
        }
        var context = exchange.getContext();
        String routeId = consumingRoute(context, sink);
        LOG.error("WEBHOOK DISABLED: the receiver answered 410 Gone for event {}: webhook sink {} no longer exists. "
                        + "Route {} is stopped; undelivered events stay in the event log and are delivered, in order, "
                        + "after {} is corrected and the router restarted. The other sinks go on.",
                exchange.getProperty(Headers.EVENT_ID), sink, routeId,
                "webhook".equals(sink) ? "presence.webhook.url" : "the url of its route in routes/sinks.camel.yaml");
        if (routeId == null) {
            return;
        }
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

    /** The id of the route that reads the log as {@code sink}, or null. */
    static String consumingRoute(org.apache.camel.CamelContext context, String sink) {
        for (var route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PresenceEventsEndpoint e && e.getSink().equals(sink)) {
                return route.getRouteId();
            }
        }
        return null;
    }
}
