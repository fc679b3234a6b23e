package pbx.presence.metrics;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Readiness of the delivery: DOWN while a sink reading the log in this router has an undelivered
 * event older than {@code presence.sink.lag-ready-max-age-seconds}, naming the sink, its events
 * behind and the age. A sink that waits on purpose (an e-mail digest) gets its window on top of the
 * limit, so a digest never makes readiness flap. Not a liveness check: a slow receiver is not a
 * reason to restart the router. A limit of 0 only reports the lag in the details.
 */
public final class SinksLagHealthCheck extends AbstractHealthCheck {

    private final SinkMetrics sinks;
    private final Duration maxAge;
    private final Map<String, Duration> allowance;

    /** {@code allowance}: extra wait per sink name that delays on purpose (a digest's window). */
    public SinksLagHealthCheck(SinkMetrics sinks, Duration maxAge, Map<String, Duration> allowance) {
        super("pbx", "sinks");
        this.sinks = sinks;
        this.maxAge = maxAge;
        this.allowance = Map.copyOf(allowance);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> behind = new ArrayList<>();
        sinks.lag().of(sinks.consuming()).forEach((sink, lag) -> {
            builder.detail("sink." + sink + ".lag.events", lag.events());
            builder.detail("sink." + sink + ".oldest.pending.seconds", Math.round(lag.oldestPendingSeconds()));
            double limit = maxAge.plus(allowance.getOrDefault(sink, Duration.ZERO)).toMillis() / 1000.0;
            if (!maxAge.isZero() && lag.oldestPendingSeconds() > limit) {
                behind.add(sink + " (" + lag.events() + " events behind, oldest pending " + Math.round(lag.oldestPendingSeconds())
                        + " s, limit " + Math.round(limit) + " s)");
            }
        });
        builder.detail("sinks.behind", String.join(",", behind.stream().map(b -> b.substring(0, b.indexOf(' '))).toList()));
        if (behind.isEmpty()) {
            builder.up();
        } else {
            builder.message("sink(s) behind: " + String.join(", ", behind)).down();
        }
    }
}
