package pbx.presence.bench;

import pbx.presence.demo.VoipNowSimulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * When the router's polls start, seen from the PBX side: the simulator's presence request counter
 * is watched every 5 ms, and every {@code pagesPerPoll}-th request (the first page of a poll) marks
 * a start. Only valid while nothing else asks the simulator for pages (the floor runs before).
 */
final class PollStarts implements AutoCloseable {

    private final VoipNowSimulator sim;
    private final int pagesPerPoll;
    private final List<Long> starts = new ArrayList<>();
    private final List<Instant> wallStarts = new ArrayList<>();
    private volatile Instant lastStart;
    private volatile Runnable afterFetch;
    private volatile boolean running;
    private Thread thread;

    PollStarts(VoipNowSimulator sim, int pagesPerPoll) {
        this.sim = sim;
        this.pagesPerPoll = pagesPerPoll;
    }

    PollStarts start() {
        running = true;
        thread = new Thread(() -> {
            long polls = 0;
            while (running) {
                long requests = sim.presenceRequests();
                long started = requests == 0 ? 0 : (requests - 1) / pagesPerPoll + 1;
                if (started > polls) {
                    Instant now = Instant.now();
                    synchronized (starts) {
                        starts.add(System.nanoTime());
                        wallStarts.add(now);
                    }
                    lastStart = now;
                    polls = started;
                }
                Runnable pending = afterFetch;
                if (pending != null && requests % pagesPerPoll == 0) {
                    afterFetch = null;
                    try {
                        pending.run();
                    } catch (RuntimeException e) {
                        e.printStackTrace();
                    }
                }
                // sampling a counter: a bounded 5 ms pause between reads
                LockSupport.parkNanos(5_000_000);
            }
        }, "bench-poll-starts");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    int count() {
        synchronized (starts) {
            return starts.size();
        }
    }

    /**
     * Runs {@code change} once no poll is fetching: at once when the counter is at a poll boundary,
     * else as soon as the current poll's last page was asked for. A change that avoids the first and
     * the last page is then seen whole by the next poll and not at all by the current one, whatever
     * the period.
     */
    void afterFetch(Runnable change) {
        afterFetch = change;
    }

    /** Wall-clock time of the last poll start seen (null before one). */
    Instant lastStart() {
        return lastStart;
    }

    /** Wall-clock time of the last poll start at or before {@code t} (null if none). */
    Instant startBefore(Instant t) {
        synchronized (starts) {
            for (int i = wallStarts.size() - 1; i >= 0; i--) {
                if (!wallStarts.get(i).isAfter(t)) {
                    return wallStarts.get(i);
                }
            }
            return null;
        }
    }

    /** The gap between the last two poll starts, in ms (NaN before two). */
    double lastGapMillis() {
        synchronized (starts) {
            int s = starts.size();
            return s < 2 ? Double.NaN : (starts.get(s - 1) - starts.get(s - 2)) / 1e6;
        }
    }

    /** Every start-to-start gap in ms, rounded. */
    List<Long> gaps() {
        synchronized (starts) {
            List<Long> out = new ArrayList<>();
            for (int i = 1; i < starts.size(); i++) {
                out.add(Math.round((starts.get(i) - starts.get(i - 1)) / 1e6));
            }
            return out;
        }
    }

    @Override
    public void close() {
        running = false;
    }
}
