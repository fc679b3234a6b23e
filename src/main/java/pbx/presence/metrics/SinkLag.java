package pbx.presence.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.PresenceLog;
import pbx.presence.change.PresenceLog.LoggedEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How far each sink is behind the event log: events between its position and the log's head, and
 * the age of the oldest of them (0 when it is caught up). {@link #refresh} reads the store (a few
 * indexed queries) on a background thread; {@link #of} only reads what it found, so a scrape or a
 * readiness check never waits for the store. While the store does not answer, the last known
 * pending events stay and their age keeps growing.
 */
public final class SinkLag {

    /** One sink's lag. */
    public record Lag(long events, double oldestPendingSeconds) {
    }

    /** What the store said: events behind, and the time of the oldest of them (null when none). */
    private record Pending(long events, Instant oldest) {
    }

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.metrics");

    private final PresenceLog log;
    private final Supplier<Map<String, Long>> positions;
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(30);

    private final BooleanSupplier opened;
    private final Clock clock;
    private volatile Map<String, Pending> pending = Map.of();
    private Instant retryAt = Instant.MIN;

    /**
     * {@code positions}: every stored sink position by name (the store's {@code sinkPositions});
     * {@code opened}: whether the store has been opened (by a poll or a sink): until then, and for a
     * while after a failure, the lag is not read, so this never adds to the work of a store that
     * cannot be opened or does not answer.
     */
    public SinkLag(PresenceLog log, Supplier<Map<String, Long>> positions, BooleanSupplier opened, Clock clock) {
        this.log = log;
        this.positions = positions;
        this.opened = opened;
        this.clock = clock;
    }

    /** Reads the lag of each named sink that has a stored position from the store. */
    public void refresh(Collection<String> sinks) {
        Instant now = clock.instant();
        if (!opened.getAsBoolean() || now.isBefore(retryAt)) {
            return;
        }
        Map<String, Pending> out = new TreeMap<>();
        try {
            long head = log.headPosition();
            Map<String, Long> stored = positions.get();
            for (String sink : sinks) {
                Long position = stored.get(sink);
                if (position == null) {
                    continue;
                }
                Instant oldest = null;
                if (position < head) {
                    List<LoggedEvent> next = log.eventsAfter(position, 1, null, null);
                    oldest = next.isEmpty() ? null : next.get(0).time();
                }
                out.put(sink, new Pending(Math.max(0, head - position), oldest));
            }
        } catch (RuntimeException e) {
            // the store is down: the sources' readiness and the sinks' own WARN lines say so
            LOG.debug("sink lag not read: {}", e.toString());
            retryAt = clock.instant().plus(FAILURE_BACKOFF);
            return;
        }
        pending = out;
    }

    /** The last read lag of the named sinks, aged to now. */
    public Map<String, Lag> of(Collection<String> sinks) {
        Instant now = clock.instant();
        Map<String, Pending> known = pending;
        Map<String, Lag> out = new TreeMap<>();
        for (String sink : sinks) {
            Pending p = known.get(sink);
            if (p != null) {
                double age = p.oldest() == null ? 0 : Math.max(0, Duration.between(p.oldest(), now).toMillis() / 1000.0);
                out.put(sink, new Lag(p.events(), age));
            }
        }
        return out;
    }
}
