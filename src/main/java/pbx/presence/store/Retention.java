package pbx.presence.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Prunes the event log in the background (issue 9): an event goes once it is older than
 * {@code presence.events.retention} and every sink consuming in this process has passed it; in
 * batches of {@code batch} rows, each its own short transaction, so pruning never holds up a poll's
 * commit for long. A sink that was not running meanwhile can fall behind the horizon; its consumer
 * then says so once, with the count lost, and goes on from the oldest kept event.
 */
public final class Retention implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.store");

    private final JdbcEventStore store;
    private final Duration keep;
    private final Clock clock;
    private final int batch;

    public Retention(JdbcEventStore store, Duration keep, Clock clock, int batch) {
        if (keep.isNegative()) {
            throw new IllegalArgumentException("presence.events.retention must not be negative, was " + keep);
        }
        this.store = store;
        this.keep = keep;
        this.clock = clock;
        this.batch = batch;
    }

    /** One pruning pass; for a scheduler. Store failures are logged (once per pass) and retried at the next pass. */
    @Override
    public void run() {
        try {
            long pruned = pruneOnce();
            if (pruned > 0) {
                LOG.debug("Retention: pruned {} event(s) older than {}", pruned, keep);
            }
        } catch (StoreException e) {
            LOG.warn("Retention pass skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Retention pass failed: {}", e.toString());
        }
    }

    /** Deletes what may go, batch by batch; returns how many events went. */
    public long pruneOnce() {
        store.ready();
        long horizon = horizon();
        long total = 0;
        while (true) {
            int n;
            try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM event_log WHERE position IN (SELECT position FROM event_log WHERE position <= ? ORDER BY position LIMIT ?)")) {
                ps.setLong(1, horizon);
                ps.setInt(2, batch);
                n = ps.executeUpdate();
            } catch (SQLException e) {
                throw store.failure("prune the event log", e);
            }
            total += n;
            if (n < batch) {
                return total;
            }
        }
    }

    /** The newest position that may go: old enough, and passed by every running sink. */
    long horizon() {
        long cutoff = clock.millis() - keep.toMillis();
        long horizon;
        try (Connection c = store.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT MAX(position) FROM event_log WHERE event_time < ?")) {
            ps.setLong(1, cutoff);
            try (ResultSet rs = ps.executeQuery()) {
                horizon = rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw store.failure("read the retention horizon", e);
        }
        Map<String, Long> positions = store.sinkPositions();
        for (String sink : store.consumingSinks()) {
            horizon = Math.min(horizon, positions.getOrDefault(sink, 0L));
        }
        return horizon;
    }
}
