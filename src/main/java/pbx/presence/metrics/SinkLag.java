package pbx.presence.metrics;

import pbx.presence.change.PresenceLog;
import pbx.presence.change.PresenceLog.LoggedEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * How far each sink is behind the event log: events between its position and the log's head, and
 * the age of the oldest of them (0 when it is caught up). Read from the store: a few indexed
 * queries, cached for a second so a scrape of every gauge and the readiness check share them.
 */
public final class SinkLag {

    /** One sink's lag. */
    public record Lag(long events, double oldestPendingSeconds) {
    }

    private static final Duration CACHE = Duration.ofSeconds(1);
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);

    private final PresenceLog log;
    private final Supplier<Map<String, Long>> positions;
    private final Clock clock;
    private Instant readAt = Instant.MIN;
    private Instant storeRetryAt = Instant.MIN;
    private Map<String, Lag> last = Map.of();

    /** {@code positions}: every stored sink position by name (the store's {@code sinkPositions}). */
    public SinkLag(PresenceLog log, Supplier<Map<String, Long>> positions, Clock clock) {
        this.log = log;
        this.positions = positions;
        this.clock = clock;
    }

    /** The lag of each named sink that has a stored position; a store that does not answer gives none. */
    public synchronized Map<String, Lag> of(Collection<String> sinks) {
        Instant now = clock.instant();
        if (now.isBefore(storeRetryAt)) {
            return Map.of();
        }
        if (now.isBefore(readAt.plus(CACHE)) && last.keySet().containsAll(Set.copyOf(sinks))) {
            return last;
        }
        Map<String, Lag> out = new TreeMap<>();
        try {
            long head = log.headPosition();
            Map<String, Long> stored = positions.get();
            for (String sink : sinks) {
                Long position = stored.get(sink);
                if (position == null) {
                    continue;
                }
                double age = 0;
                if (position < head) {
                    List<LoggedEvent> next = log.eventsAfter(position, 1, null, null);
                    if (!next.isEmpty()) {
                        age = Math.max(0, Duration.between(next.get(0).time(), now).toMillis() / 1000.0);
                    }
                }
                out.put(sink, new Lag(Math.max(0, head - position), age));
            }
        } catch (RuntimeException e) {
            // the store is down (the sources' readiness and the sinks' own WARN lines say so): no lag
            // to show, and not asked again for a while, so scrapes and health checks do not each wait
            // for the store's connection timeout
            storeRetryAt = now.plus(FAILURE_BACKOFF);
            return Map.of();
        }
        readAt = now;
        last = out;
        return out;
    }
}
