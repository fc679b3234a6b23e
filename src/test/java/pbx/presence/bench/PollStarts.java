package pbx.presence.bench;

import pbx.presence.demo.VoipNowSimulator;

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
                    synchronized (starts) {
                        starts.add(System.nanoTime());
                    }
                    polls = started;
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
