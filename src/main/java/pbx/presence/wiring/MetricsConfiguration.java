package pbx.presence.wiring;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import pbx.presence.events.PresenceEventsComponent;
import pbx.presence.metrics.Meters;
import pbx.presence.metrics.SinkLag;
import pbx.presence.metrics.SinkMetrics;
import pbx.presence.metrics.SinksLagHealthCheck;
import pbx.presence.metrics.SourceMetrics;
import pbx.presence.store.JdbcEventStore;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The router's own metrics on {@code /observe/metrics} (README "Metrics"): the per-source meters the
 * poll pipeline records, the per-sink counters and lag gauges of the {@code presence-events}
 * component, and the sinks' lag in readiness ({@code presence.sink.lag-ready-max-age-seconds}).
 * Call after {@link SinkConfiguration#wire} (it instruments the {@code presence-events} component).
 */
public final class MetricsConfiguration {

    /** How often the sinks' lag is read from the store. */
    private static final Duration LAG_REFRESH = Duration.ofSeconds(1);

    private MetricsConfiguration() {
    }

    public static SourceMetrics sources(CamelContext context) {
        return new SourceMetrics(new Meters(context));
    }

    public static void sinks(CamelContext context, Settings s, JdbcEventStore store, Clock clock) throws Exception {
        int maxAge = s.integer("presence.sink.lag-ready-max-age-seconds", 300);
        if (maxAge < 0) {
            throw new IllegalArgumentException("presence.sink.lag-ready-max-age-seconds must be 0 (never DOWN) or more, was " + maxAge);
        }
        SinkMetrics metrics = new SinkMetrics(new Meters(context), new SinkLag(store, store::sinkPositions, store::isReady, clock), store::consumingSinks);
        if (context.getComponent("presence-events") instanceof PresenceEventsComponent events) {
            events.useMetrics(metrics);
        }
        // the shipped digest holds events for its window on purpose: that wait is not lag
        Map<String, Duration> allowance = new HashMap<>();
        int digestSeconds = s.integer("presence.email.digest-seconds", 0);
        if (!s.get("presence.email.url", "").isBlank() && digestSeconds > 0) {
            allowance.put(SinkConfiguration.EMAIL, Duration.ofSeconds(digestSeconds));
        }
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new SinksLagHealthCheck(metrics, Duration.ofSeconds(maxAge), allowance));
        }
        // the lag is read from the store in the background, so a scrape or a readiness check never waits for it
        context.addService(new ServiceSupport() {
            private ScheduledExecutorService executor;

            @Override
            protected void doStart() {
                executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "pbx-sink-lag");
                executor.scheduleWithFixedDelay(metrics::refreshLag, LAG_REFRESH.toMillis(), LAG_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            protected void doStop() {
                if (executor != null) {
                    context.getExecutorServiceManager().shutdownNow(executor);
                    executor = null;
                }
            }
        }, true, true);
    }
}
