package pbx.presence.events;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import pbx.presence.change.Fencing;
import pbx.presence.change.SinkLog;
import pbx.presence.metrics.SinkMetrics;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code presence-events:<sink>}: a sink route's durable, named position in the event log
 * (issue 9). Each route receives one exchange per event, in log order, on its own thread; the
 * position advances only when the exchange completes (delivered, filtered out or dead-lettered),
 * so a crash or stop redelivers and never skips. Options: {@code startAt} (where a sink name never
 * seen before starts: {@code end}, the default, {@code start} or an ISO-8601 instant),
 * {@code pollMillis} (fallback poll; commits wake the consumer at once), {@code retryMillis}
 * (wait before an event whose exchange failed is tried again), {@code batchSize}, {@code saveMillis}
 * (how often a sink that is behind stores its position) and {@code lanes}.
 *
 * <p>Written for this project because no Camel component reads an ordered log with a durable
 * per-consumer position in a JDBC database (camel-sql polls rows but keeps no position of its own,
 * and marks or deletes rows, which would couple the sinks to each other).
 */
public final class PresenceEventsComponent extends DefaultComponent {

    private static final Pattern SINK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    private final SinkLog log;
    private volatile Fencing fencing = Fencing.NONE;
    private volatile SinkMetrics metrics = SinkMetrics.NONE;

    public PresenceEventsComponent(SinkLog log) {
        this.log = log;
    }

    SinkLog log() {
        return log;
    }

    /** In a cluster: each position advance is fenced by this router's leadership of the sink (issue 12). */
    public void useFencing(Fencing fencing) {
        this.fencing = fencing;
    }

    Fencing fencing() {
        return fencing;
    }

    /** Counts each sink's delivered, filtered and dead-lettered events and publishes its lag (README "Metrics"). */
    public void useMetrics(SinkMetrics metrics) {
        this.metrics = metrics;
    }

    SinkMetrics metrics() {
        return metrics;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || !SINK_NAME.matcher(remaining).matches()) {
            throw new IllegalArgumentException("presence-events needs a sink name of letters, digits, '.', '_' or '-', "
                    + "e.g. presence-events:crm-webhook, was '" + remaining + "'");
        }
        PresenceEventsEndpoint endpoint = new PresenceEventsEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
