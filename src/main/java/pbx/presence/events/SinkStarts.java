package pbx.presence.events;

import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.SinkLog;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fixes where every sink this router runs starts, before the router commits its first event. A sink
 * never seen before starts at its {@code startAt} (the end of the log by default) as it stands at
 * that moment, so every event this router commits afterwards reaches it, whichever router delivers
 * the sink and whenever that router takes the sink's leadership (in a cluster the leader starts its
 * consumer only after taking the lock, by which time other routers may have committed events).
 *
 * <p>The sinks are the {@code presence-events:<sink>} consumers of the routes that start with the
 * router ({@code autoStartup}), behind {@code master:} or not. A sink whose route is off is left
 * alone: it starts where it is when it is switched on.
 */
public final class SinkStarts implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.store");

    private final CamelContext context;
    private final SinkLog log;

    public SinkStarts(CamelContext context, SinkLog log) {
        this.context = context;
        this.log = log;
    }

    /** Stores a position for each sink that has none yet; a store failure propagates (the caller commits nothing). */
    @Override
    public void run() {
        Map<String, SinkLog.StartAt> sinks = sinksThatStart();
        sinks.forEach(log::sinkPosition);
        LOG.debug("Positions of sinks {} fixed before the first commit", sinks.keySet());
    }

    /** Each started sink's name and where it starts if new, in route order. */
    Map<String, SinkLog.StartAt> sinksThatStart() {
        Map<String, SinkLog.StartAt> sinks = new LinkedHashMap<>();
        for (Route route : context.getRoutes()) {
            if (Boolean.FALSE.equals(route.isAutoStartup())) {
                continue;
            }
            if (unwrap(route.getEndpoint()) instanceof PresenceEventsEndpoint events) {
                sinks.putIfAbsent(events.getSink(), SinkLog.StartAt.parse(events.getStartAt()));
            }
        }
        return sinks;
    }

    private static Endpoint unwrap(Endpoint endpoint) {
        Endpoint e = endpoint;
        while (e instanceof DelegateEndpoint d && d.getEndpoint() != e) {
            e = d.getEndpoint();
        }
        return e;
    }
}
