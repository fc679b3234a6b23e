package pbx.presence.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Per-sink meters (README "Metrics"): {@code pbx_presence_sink_delivered_total},
 * {@code pbx_presence_sink_filtered_total}, {@code pbx_presence_sink_dead_lettered_total} (label
 * {@code sink}), and the lag gauges {@code pbx_presence_sink_lag_events} and
 * {@code pbx_presence_sink_oldest_pending_age_seconds}, registered for every sink that starts reading
 * the log ({@link #watch}).
 */
public final class SinkMetrics {

    /** Exchange property the dead-letter routes set: the event was dead-lettered, not delivered. */
    public static final String DEAD_LETTERED = "PbxDeadLettered";

    /** Exchange property the sink kamelets' filter sets ({@code statusPropertyName}): false when it left the event out. */
    public static final String FILTER_MATCHED = "PbxFilterMatched";

    /** Meters that record nothing. */
    public static final SinkMetrics NONE = new SinkMetrics(new Meters((org.apache.camel.CamelContext) null), null, Set::of);

    private final Meters meters;
    private final SinkLag lag;
    private final Supplier<Set<String>> consuming;
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** {@code consuming}: the sinks reading the log in this process (per-event routes and digests). */
    public SinkMetrics(Meters meters, SinkLag lag, Supplier<Set<String>> consuming) {
        this.meters = meters;
        this.lag = lag;
        this.consuming = consuming;
    }

    public SinkLag lag() {
        return lag;
    }

    /** The sinks reading the log in this process now. */
    public Set<String> consuming() {
        return consuming.get();
    }

    /** The event reached the sink's receiver (or endpoint). */
    public void delivered(String sink) {
        count("pbx.presence.sink.delivered", "Events the sink delivered", sink);
    }

    /** The sink's filter left the event out. */
    public void filtered(String sink) {
        count("pbx.presence.sink.filtered", "Events the sink's filter left out", sink);
    }

    /** The sink gave up on the event and wrote it to its dead-letter folder. */
    public void deadLettered(String sink) {
        count("pbx.presence.sink.dead.lettered", "Events the sink dead-lettered", sink);
    }

    private void count(String name, String description, String sink) {
        // once per event: the counter is looked up once per sink and kind, not built each time
        Counter counter = counters.computeIfAbsent(name + '\u0000' + sink, key -> meters.registry()
                .map(r -> Counter.builder(name).description(description).tag("sink", sink).register(r)).orElse(null));
        if (counter != null) {
            counter.increment();
        }
    }

    /** Publishes the sink's lag gauges (once per name; again harmless). */
    public void watch(String sink) {
        watched.add(sink);
        registerWatched();
    }

    /**
     * Reads every watched sink's lag from the store, and registers the gauges of sinks watched before
     * the registry existed or reading the log since (a digest window). Runs on a background thread
     * (see {@link SinkLag}); never throws.
     */
    public void refreshLag() {
        if (lag == null) {
            return;
        }
        try {
            registerWatched();
            lag.refresh(Set.copyOf(watched));
        } catch (RuntimeException e) {
            // the next refresh tries again; the store's own failures are logged where they matter
            org.slf4j.LoggerFactory.getLogger("pbx.presence.metrics").debug("sink lag refresh: {}", e.toString());
        }
    }

    /** Registers the gauges of sinks watched before the registry existed, and of sinks consuming now. */
    public void registerWatched() {
        if (lag == null) {
            return;
        }
        watched.addAll(consuming.get());
        meters.registry().ifPresent(r -> watched.forEach(sink -> {
            if (registered.add(sink)) {
                gauges(r, sink);
            }
        }));
    }

    private void gauges(MeterRegistry r, String sink) {
        Gauge.builder("pbx.presence.sink.lag.events", () -> {
                    SinkLag.Lag l = lag.of(registered).get(sink);
                    return l == null ? Double.NaN : l.events();
                })
                .description("Events in the log after the sink's position (log head - sink position)")
                .tag("sink", sink).strongReference(true).register(r);
        Gauge.builder("pbx.presence.sink.oldest.pending.age", () -> {
                    SinkLag.Lag l = lag.of(registered).get(sink);
                    return l == null ? Double.NaN : l.oldestPendingSeconds();
                })
                .description("Age of the oldest event the sink has not finished yet (0 when caught up)")
                .baseUnit("seconds").tag("sink", sink).strongReference(true).register(r);
    }
}
