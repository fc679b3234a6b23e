package pbx.presence.demo;

import static pbx.presence.demo.SimulatedExtension.AVAILABLE;
import static pbx.presence.demo.SimulatedExtension.AWAY;
import static pbx.presence.demo.SimulatedExtension.CHAT_AWAY;
import static pbx.presence.demo.SimulatedExtension.CHAT_DND;
import static pbx.presence.demo.SimulatedExtension.CHAT_OFFLINE;
import static pbx.presence.demo.SimulatedExtension.CHAT_ONLINE;
import static pbx.presence.demo.SimulatedExtension.CUSTOM_1;
import static pbx.presence.demo.SimulatedExtension.OUT_OF_OFFICE;
import static pbx.presence.demo.SimulatedExtension.USER_AVAILABLE;
import static pbx.presence.demo.SimulatedExtension.USER_AWAY;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic script that makes a {@link SimulatedPbx} look alive: six extensions (201 Alice
 * … 206 Frank) and a cycle of {@value #CYCLE_LENGTH} steps, one per {@link #tick()}. Every step
 * changes at least one extension; after a whole cycle the PBX is back in its initial state (call
 * ids aside: every new call gets a fresh id) and the script starts over.
 *
 * <p>The cycle shows each of the traps the router has to get right: a queue call that rings then
 * connects then ends, an outbound call, a missed direct call, users going Away, seed 000's
 * "UserStatus Available but profile Out of office, CHATSTATUS 4", a phone that unregisters and
 * registers again, chat Do Not Disturb, a Custom 1 profile and a queue logout/login.
 */
public final class DemoScenario implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoScenario.class);

    public static final int CYCLE_LENGTH = 21;

    /** One scripted step. */
    public record Step(String description, String extension, UnaryOperator<SimulatedExtension> change) {
    }

    private final SimulatedPbx pbx;
    private final List<Step> script;
    private final Map<String, SimulatedExtension> initial;
    private int position;
    private long ticks;

    private final Object schedule = new Object();
    private ScheduledExecutorService ownExecutor;
    private ScheduledFuture<?> future;

    /** Seeds {@code pbx} with the six demo extensions (replacing extensions with the same numbers). */
    public DemoScenario(SimulatedPbx pbx) {
        this.pbx = Objects.requireNonNull(pbx, "pbx");
        this.initial = initialExtensions().stream()
                .collect(Collectors.toUnmodifiableMap(SimulatedExtension::number, Function.identity()));
        this.script = buildScript();
        if (script.size() != CYCLE_LENGTH) {
            throw new IllegalStateException("script has " + script.size() + " steps, expected " + CYCLE_LENGTH);
        }
        reset();
    }

    /** The six extensions the scenario starts from. */
    public static List<SimulatedExtension> initialExtensions() {
        return List.of(
                SimulatedExtension.of("201", "Alice Andersen")
                        .withLoggedInQueues(List.of("800")),
                SimulatedExtension.of("202", "Bob Becker")
                        .withUserAgent("Yealink SIP-T54W 96.86.0.70"),
                SimulatedExtension.of("203", "Carol Schulz")
                        .withUserAgent("3CX for Windows 18.0.5.23"),
                SimulatedExtension.of("204", "Dave Fischer")
                        .withUserAgent("snom D785 10.1.54.13")
                        .withLoggedInQueues(List.of("800", "801")),
                SimulatedExtension.of("205", "Erin Wagner")
                        .withUserAgent("Grandstream GXP2170 1.0.11.23")
                        .withPresence(AWAY, USER_AWAY, CHAT_AWAY),
                SimulatedExtension.of("206", "Frank Meyer")
                        .withUserAgent("Fanvil X6U 2.12.1"));
    }

    private List<Step> buildScript() {
        return List.of(
                step("201 Alice: queue call from +4930123456 via Support (800) is ringing", "201",
                        e -> e.withCall(SimulatedCall.viaQueue(pbx.nextCallId(), SimulatedCall.RINGING, "+4930123456", "Support", "800"))),
                step("201 Alice: answers the queue call", "201",
                        e -> e.withCallsInState(SimulatedCall.CONNECTED)),
                step("203 Carol: profile Out of office while UserStatus stays Available, CHATSTATUS 4 (seed 000's trap)", "203",
                        e -> e.withPresence(OUT_OF_OFFICE, USER_AVAILABLE, CHAT_OFFLINE)),
                step("202 Bob: dials +4989987654", "202",
                        e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.DIALING, "+4989987654"))),
                step("202 Bob: outbound call connected", "202",
                        e -> e.withCallsInState(SimulatedCall.CONNECTED)),
                step("201 Alice: queue call ends", "201",
                        SimulatedExtension::withNoCalls),
                step("204 Dave: phone unregisters", "204",
                        e -> e.withRegistered(false)),
                step("206 Frank: chat status Do Not Disturb", "206",
                        e -> e.withChatStatus(CHAT_DND)),
                step("205 Erin: back, profile Available", "205",
                        e -> e.withPresence(AVAILABLE, USER_AVAILABLE, CHAT_ONLINE)),
                step("204 Dave: phone registers again", "204",
                        e -> e.withRegistered(true)),
                step("202 Bob: outbound call ends", "202",
                        SimulatedExtension::withNoCalls),
                step("206 Frank: profile Custom 1", "206",
                        e -> e.withProfile(CUSTOM_1)),
                step("204 Dave: logs out of queue 801", "204",
                        e -> e.withLoggedInQueues(List.of("800"))),
                step("204 Dave: direct call from +4940555123 is ringing", "204",
                        e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.RINGING, "+4940555123"))),
                step("204 Dave: missed the call, it stops ringing", "204",
                        SimulatedExtension::withNoCalls),
                step("201 Alice: profile Away", "201",
                        e -> e.withPresence(AWAY, USER_AWAY, CHAT_AWAY)),
                step("203 Carol: back in the office, profile Available, chat online", "203",
                        e -> e.withPresence(AVAILABLE, USER_AVAILABLE, CHAT_ONLINE)),
                step("206 Frank: profile Available, chat online", "206",
                        e -> e.withPresence(AVAILABLE, USER_AVAILABLE, CHAT_ONLINE)),
                step("201 Alice: back, profile Available", "201",
                        e -> e.withPresence(AVAILABLE, USER_AVAILABLE, CHAT_ONLINE)),
                step("204 Dave: logs in to queue 801 again", "204",
                        e -> e.withLoggedInQueues(List.of("800", "801"))),
                step("205 Erin: profile Away", "205",
                        e -> e.withPresence(AWAY, USER_AWAY, CHAT_AWAY)));
    }

    private static Step step(String description, String extension, UnaryOperator<SimulatedExtension> change) {
        return new Step(description, extension, change);
    }

    /** Puts the initial extensions back and rewinds the script. */
    public synchronized void reset() {
        for (SimulatedExtension e : initialExtensions()) {
            pbx.put(e);
        }
        position = 0;
    }

    /**
     * Applies the next step of the script.
     *
     * @return the step's description, e.g. "201 Alice: answers the queue call"
     */
    public synchronized String tick() {
        Step step = script.get(position);
        position = (position + 1) % script.size();
        ticks++;
        if (pbx.get(step.extension()).isEmpty()) {
            // someone removed it (a test): bring it back so the script keeps running
            pbx.put(initial.get(step.extension()));
        }
        pbx.update(step.extension(), step.change());
        LOG.debug("Demo PBX: {}", step.description());
        return step.description();
    }

    /** Index of the step the next {@link #tick()} applies (0 at the start of a cycle). */
    public synchronized int position() {
        return position;
    }

    /** Ticks applied since construction. */
    public synchronized long ticks() {
        return ticks;
    }

    public int cycleLength() {
        return script.size();
    }

    /** The script's step descriptions, in order. */
    public List<String> steps() {
        return script.stream().map(Step::description).toList();
    }

    public SimulatedPbx pbx() {
        return pbx;
    }

    /** Ticks every {@code periodMillis} on its own daemon thread ("demo-scenario"). */
    public DemoScenario start(long periodMillis) {
        synchronized (schedule) {
            ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(HttpSimulator.daemonThreads("demo-scenario"));
            try {
                schedule(exec, periodMillis);
            } catch (RuntimeException e) {
                exec.shutdownNow();
                throw e;
            }
            ownExecutor = exec;
            return this;
        }
    }

    /** Ticks every {@code periodMillis} on the given executor ({@link #close()} does not shut it down). */
    public DemoScenario start(ScheduledExecutorService executor, long periodMillis) {
        synchronized (schedule) {
            schedule(Objects.requireNonNull(executor, "executor"), periodMillis);
            return this;
        }
    }

    private void schedule(ScheduledExecutorService executor, long periodMillis) {
        if (periodMillis <= 0) {
            throw new IllegalArgumentException("tick period must be > 0 ms, got " + periodMillis);
        }
        if (future != null) {
            throw new IllegalStateException("demo scenario already started");
        }
        future = executor.scheduleAtFixedRate(this::safeTick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void safeTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            // never let an exception cancel the schedule
            LOG.warn("Demo PBX scenario step failed", e);
        }
    }

    public boolean isRunning() {
        synchronized (schedule) {
            return future != null && !future.isDone();
        }
    }

    /** Stops ticking. Idempotent. The state stays as it is. */
    @Override
    public void close() {
        synchronized (schedule) {
            if (future != null) {
                future.cancel(false);
                future = null;
            }
            if (ownExecutor != null) {
                ownExecutor.shutdownNow();
                ownExecutor = null;
            }
        }
    }
}
