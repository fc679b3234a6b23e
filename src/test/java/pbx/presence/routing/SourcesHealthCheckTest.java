package pbx.presence.routing;

import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.MutableClock;
import pbx.presence.change.ChangeDetector;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Registration;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readiness of the sources on the real detector and embedded store: a source that has been leaving
 * changed extensions for later polls (presence.source.max-changes-per-poll) for longer than the limit
 * is DOWN and named, with how many it left; one that catches up is ready again; a source down by
 * failures is still reported as before.
 */
class SourcesHealthCheckTest {

    private static final Duration LIMIT = Duration.ofSeconds(300);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private JdbcEventStore store;
    private ChangeDetector detector;
    private SourcesHealthCheck check;

    @BeforeEach
    void start() {
        store = Stores.embedded(dir.resolve("presence.db"));
        detector = new ChangeDetector(store, 1, false);
        detector.maxChangesPerPoll(2);
        check = new SourcesHealthCheck(detector, null, LIMIT, clock);
        poll(LineState.IDLE);
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private void poll(LineState line) {
        detector.onSnapshot("hq", IntStream.range(0, 9).mapToObj(i -> ExtensionPresence.builder("hq", "test", Integer.toString(200 + i))
                .registration(Registration.REGISTERED).line(line).activeCalls(line == LineState.TALKING ? 1 : 0).build()).toList(),
                clock.instant());
    }

    @Test
    void aSourceLeavingChangesForLongerThanTheLimitIsDownUntilItCatchesUp() {
        poll(LineState.TALKING); // 9 changed, 2 taken, 7 left
        clock.advance(LIMIT);
        poll(LineState.TALKING); // 2 more taken, 5 left: leaving for exactly the limit
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.UP, r.getState(), String.valueOf(r.getMessage()));
        assertEquals("", r.getDetails().get("sources.behind"));

        clock.advance(Duration.ofSeconds(1));
        poll(LineState.TALKING); // 3 left
        r = check.call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertEquals("hq", r.getDetails().get("sources.behind"));
        assertEquals("", r.getDetails().get("sources.down"));
        assertEquals("source(s) leaving changed extensions for later polls for more than 300 s: hq (3 left)",
                r.getMessage().orElse(""));

        poll(LineState.TALKING);
        poll(LineState.TALKING); // all 9 taken
        r = check.call();
        assertEquals(HealthCheck.State.UP, r.getState(), String.valueOf(r.getMessage()));
    }

    @Test
    void aSourceDownByFailuresIsStillNamed() {
        detector.onFailure("hq", "HTTP 500", clock.instant());
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertTrue(r.getMessage().orElse("").startsWith("PBX source(s) down: hq"), r.getMessage().orElse(""));
        assertEquals("hq", r.getDetails().get("sources.down"));
    }
}
