package pbx.presence.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import pbx.presence.model.PresenceEvent;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-source meters (README "Metrics"): {@code pbx_presence_source_poll_duration_seconds} (histogram,
 * labels {@code source}, {@code outcome} = ok|failed), {@code pbx_presence_source_extensions} (gauge),
 * {@code pbx_presence_events_total} (labels {@code source}, {@code type} = the CloudEvents type),
 * {@code pbx_presence_source_poll_failures_total} (labels {@code source}, {@code reason}) and
 * {@code pbx_presence_source_changes_deferred} (gauge).
 */
public final class SourceMetrics {

    private final Meters meters;
    private final Map<String, AtomicLong> extensions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> deferred = new ConcurrentHashMap<>();

    public SourceMetrics(Meters meters) {
        this.meters = meters;
    }

    /** One poll, from the timer firing to the events committed (or the failure recorded). */
    public void poll(String source, Duration took, boolean ok) {
        meters.registry().ifPresent(r -> Timer.builder("pbx.presence.source.poll.duration")
                .description("Time of one poll: fetch, translate, detect changes and commit")
                .tag("source", source).tag("outcome", ok ? "ok" : "failed")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(5))
                .register(r).record(took));
    }

    /** Extensions the source has after a good poll. */
    public void extensions(String source, int count) {
        gauge(extensions, "pbx.presence.source.extensions", "Extensions the source reported in its last good poll", source, count);
    }

    /** Changed extensions the last good poll found but left for the next ones (presence.source.max-changes-per-poll). */
    public void deferred(String source, int count) {
        gauge(deferred, "pbx.presence.source.changes.deferred",
                "Changed extensions the last good poll found but left for the next polls (presence.source.max-changes-per-poll)",
                source, count);
    }

    private void gauge(Map<String, AtomicLong> values, String name, String description, String source, long count) {
        meters.registry().ifPresent(r -> values.computeIfAbsent(source, s -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description)
                    .tag("source", s).strongReference(true).register(r);
            return value;
        }).set(count));
    }

    /** The events one poll emitted, counted per CloudEvents type. */
    public void events(String source, List<PresenceEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        meters.registry().ifPresent(r -> {
            Map<String, Integer> perType = new TreeMap<>();
            events.forEach(e -> perType.merge(e.type(), 1, Integer::sum));
            perType.forEach((type, n) -> Counter.builder("pbx.presence.events")
                    .description("Events emitted (committed to the event log)")
                    .tag("source", source).tag("type", type).register(r).increment(n));
        });
    }

    /** A failed poll, with its reason from a closed set. */
    public void failed(String source, String reason) {
        meters.registry().ifPresent(r -> Counter.builder("pbx.presence.source.poll.failures")
                .description("Failed polls")
                .tag("source", source).tag("reason", reason).register(r).increment());
    }
}
