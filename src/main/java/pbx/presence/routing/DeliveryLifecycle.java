package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;

import java.util.concurrent.RejectedExecutionException;

/**
 * Tells the sinks' error handlers whether a failed delivery happened because the router is
 * stopping. Then nothing is dead-lettered: the failure stays on the exchange, the sink keeps its log position
 * where it is, and the next start delivers it (same ids). Shared by the webhook and e-mail sinks.
 */
public final class DeliveryLifecycle {

    /** True while the router is stopping: a failure then is the stop's doing, not the receiver's. */
    public static boolean stopping(Exchange exchange) {
        Throwable caught = WebhookRetryPolicy.failure(exchange);
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

    /** For {@code handled:} and {@code choice} in YAML: true unless the router is stopping. */
    public boolean running(Exchange exchange) {
        return !stopping(exchange);
    }
}
