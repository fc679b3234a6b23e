package pbx.presence.bench;

import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedPbx;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Changes a simulated PBX at a steady rate, at random moments (a Poisson process, so never aligned
 * with the router's polls): each change toggles one random extension between a connected call and
 * no call, which VoipNow shows as {@code status} 3 (line BUSY) or 1 (line IDLE). When recording, it
 * keeps each change's wall-clock time and resulting line, for the latency receiver to map an event
 * to the change that caused it; an extension changed less than {@code quietMillis} ago is not
 * changed again, so no change is undone before a poll could see it.
 */
final class Churn implements AutoCloseable {

    /** One change: when the PBX showed it and the line state it led to. */
    record Change(String extension, Instant at, String line) {
    }

    private final SimulatedPbx pbx;
    private final List<String> numbers;
    private final double perSecond;
    private final long quietNanos;
    private final boolean record;
    private final Random random;
    private final long[] lastChange;
    private final ConcurrentHashMap<String, List<Change>> changes = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private volatile boolean running;
    private volatile long made;
    private Thread thread;

    Churn(SimulatedPbx pbx, List<String> numbers, double perSecond, long quietMillis, boolean record, long seed) {
        this.pbx = pbx;
        this.numbers = numbers;
        this.perSecond = perSecond;
        this.quietNanos = quietMillis * 1_000_000;
        this.record = record;
        this.random = new Random(seed);
        this.lastChange = new long[numbers.size()];
    }

    Churn start() {
        if (perSecond <= 0) {
            return this;
        }
        running = true;
        thread = new Thread(this::run, "bench-churn");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void run() {
        long start = System.nanoTime();
        double next = 0; // seconds since start of the next change
        while (running) {
            double now = (System.nanoTime() - start) / 1e9;
            while (running && now >= next) {
                changeOne();
                next += -Math.log(1 - random.nextDouble()) / perSecond;
            }
            long wait = (long) ((next - (System.nanoTime() - start) / 1e9) * 1e9);
            if (wait > 0) {
                // pacing a load generator: a bounded park until the next scheduled change
                LockSupport.parkNanos(Math.min(wait, 50_000_000));
            }
        }
    }

    private void changeOne() {
        for (int attempt = 0; attempt < 20; attempt++) {
            int i = random.nextInt(numbers.size());
            long t = System.nanoTime();
            if (lastChange[i] != 0 && t - lastChange[i] < quietNanos) {
                continue;
            }
            lastChange[i] = t;
            String number = numbers.get(i);
            String[] line = new String[1];
            pbx.update(number, e -> {
                if (e.calls().isEmpty()) {
                    line[0] = "BUSY";
                    return e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123"));
                }
                line[0] = "IDLE";
                return e.withNoCalls();
            });
            if (record) {
                changes.computeIfAbsent(number, k -> new CopyOnWriteArrayList<>()).add(new Change(number, clock.instant(), line[0]));
            }
            made++;
            return;
        }
    }

    /** Changes made so far. */
    long made() {
        return made;
    }

    /** The recorded changes of one extension, oldest first. */
    List<Change> changesOf(String extension) {
        return changes.getOrDefault(extension, List.of());
    }

    /** Every recorded change. */
    List<Change> all() {
        return changes.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
