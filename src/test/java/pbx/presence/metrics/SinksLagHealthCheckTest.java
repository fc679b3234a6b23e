package pbx.presence.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.MutableClock;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.SinkLog;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Registration;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * presence.sink.lag-ready-max-age-seconds on the real embedded store: a per-event sink whose oldest
 * pending event is older than the limit makes readiness DOWN, naming it; a digest sink, which holds
 * events for its window on purpose, only once they are older than the limit plus its window.
 */
class SinksLagHealthCheckTest {

    private static final Duration LIMIT = Duration.ofSeconds(300);
    private static final Duration DIGEST_WINDOW = Duration.ofSeconds(600);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private JdbcEventStore store;
    private SinkMetrics metrics;
    private SinksLagHealthCheck check;

    @BeforeEach
    void start() {
        store = Stores.embedded(dir.resolve("presence.db"));
        metrics = new SinkMetrics(new Meters(new SimpleMeterRegistry()), new SinkLag(store, store::sinkPositions, store::isReady, clock),
                store::consumingSinks);
        check = new SinksLagHealthCheck(metrics, LIMIT, Map.of("digest", DIGEST_WINDOW));
        for (String sink : List.of("webhook", "digest")) {
            store.sinkPosition(sink, SinkLog.StartAt.END);
            store.consuming(sink, true);
        }
        // one event after both sinks' positions, committed now
        ChangeDetector detector = new ChangeDetector(store, 3, true);
        detector.onSnapshot("pbx", List.of(ExtensionPresence.builder("pbx", "test", "201")
                .registration(Registration.REGISTERED).line(LineState.IDLE).build()), clock.instant());
        metrics.refreshLag(); // what the router's background refresh does every second
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aPendingEventYoungerThanTheLimitIsReady() {
        clock.advance(LIMIT.minusSeconds(1));
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.UP, r.getState(), String.valueOf(r.getMessage()));
        assertEquals(1L, r.getDetails().get("sink.webhook.lag.events"));
        assertEquals(299L, r.getDetails().get("sink.webhook.oldest.pending.seconds"));
    }

    @Test
    void aPerEventSinkBehindTheLimitIsDownAndNamedWhileADigestWaitsItsWindow() {
        clock.advance(LIMIT.plusSeconds(1));
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.DOWN, r.getState());
        assertEquals("webhook", r.getDetails().get("sinks.behind"), "the digest is within limit + window");
        assertTrue(r.getMessage().orElse("").startsWith("sink(s) behind: webhook (1 events behind, oldest pending 301 s, limit 300 s)"),
                r.getMessage().orElse(""));

        clock.advance(DIGEST_WINDOW);
        r = check.call();
        assertEquals("digest,webhook", r.getDetails().get("sinks.behind"), "the digest is behind its window too (names sorted)");
    }

    @Test
    void aSinkThatCaughtUpIsReadyAgain() {
        clock.advance(LIMIT.plusSeconds(1));
        assertEquals(HealthCheck.State.DOWN, check.call().getState());
        store.saveSinkPosition("webhook", store.headPosition());
        store.saveSinkPosition("digest", store.headPosition());
        metrics.refreshLag();
        HealthCheck.Result r = check.call();
        assertEquals(HealthCheck.State.UP, r.getState());
        assertEquals(0L, r.getDetails().get("sink.webhook.lag.events"));
    }
}
