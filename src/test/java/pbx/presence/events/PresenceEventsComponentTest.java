package pbx.presence.events;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.LogCapture;
import pbx.presence.change.EventStore.Commit;
import pbx.presence.model.EventType;
import pbx.presence.model.PresenceEvent;
import pbx.presence.routing.Headers;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Retention;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code presence-events:<sink>} on a real store: one exchange per event in log order, the position
 * moving only past completed exchanges, where a new sink starts, and retention's horizon.
 */
class PresenceEventsComponentTest {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    @TempDir
    Path dir;

    private JdbcEventStore store;
    private DefaultCamelContext camel;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private int sequence;

    @BeforeEach
    void start() throws Exception {
        store = Stores.embedded(dir.resolve("presence.db"));
        camel = new DefaultCamelContext();
        camel.addComponent("presence-events", new PresenceEventsComponent(store));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        store.close();
    }

    /** Appends one event (a source event of source "s") and returns its id. */
    private String append() {
        sequence++;
        PresenceEvent e = PresenceEvent.sourceEvent(EventType.SOURCE_UP, "s", sequence, T0.plusSeconds(sequence), 0, null);
        store.commit(new Commit("s", null, Map.of(), sequence, false, 0, T0, List.of(e)));
        return e.id();
    }

    private void sinkRoute(String uri, AtomicInteger failuresLeft, String failOnId) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("sink").process(ex -> {
                    String id = ex.getMessage().getHeader(Headers.EVENT_ID, String.class);
                    received.add(id);
                    assertTrue(ex.getMessage().getBody(String.class).contains("\"id\":\"" + id + "\""), "body = the event's JSON");
                    if (id.equals(failOnId) && failuresLeft.getAndDecrement() > 0) {
                        throw new IllegalStateException("receiver not ready");
                    }
                });
            }
        });
    }

    @Test
    void eachEventOnceInOrderAndAFailedExchangeIsRetriedFromTheSameEvent() throws Exception {
        String first = append();
        sinkRoute("presence-events:crm?startAt=start&retryMillis=50", new AtomicInteger(2), "s:-source:3");
        String second = append();
        String third = append();
        String fourth = append();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(fourth));
        assertEquals(List.of(first, second, third, third, third, fourth), received,
                "in log order; the failing event twice more, then on, nothing skipped");
        await().atMost(Duration.ofSeconds(5)).until(() -> store.sinkPositions().get("crm") == 4L);
    }

    @Test
    void aNewSinkStartsAtTheEndUnlessToldOtherwise() throws Exception {
        append();
        append();
        sinkRoute("presence-events:late", new AtomicInteger(), "");
        String next = append();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(next));
        assertEquals(List.of(next), received, "what was committed before the sink existed is not delivered");
    }

    @Test
    void aSinkBehindTheRetentionHorizonSaysHowManyItLostAndGoesOn() throws Exception {
        for (int i = 0; i < 5; i++) {
            append();
        }
        store.saveSinkPosition("slow", 1); // a sink that was off while events aged
        Clock later = Clock.fixed(T0.plus(Duration.ofDays(30)), ZoneOffset.UTC);
        assertEquals(5, new Retention(store, Duration.ofDays(7), later, 2).pruneOnce(), "old events go, in batches");
        String kept = append();
        try (LogCapture log = LogCapture.open()) {
            sinkRoute("presence-events:slow", new AtomicInteger(), "");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(kept));
            List<String> errors = log.lines(Level.ERROR);
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).contains("Sink slow fell behind the retention horizon") && errors.get(0).contains("4 event(s)"), errors.get(0));
        }
        assertEquals(List.of(kept), received);
    }

    @Test
    void retentionNeverPrunesPastARunningSink() throws Exception {
        sinkRoute("presence-events:running", new AtomicInteger(Integer.MAX_VALUE), "s:-source:3");
        for (int i = 0; i < 5; i++) {
            append();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("s:-source:3"));
        Clock later = Clock.fixed(T0.plus(Duration.ofDays(30)), ZoneOffset.UTC);
        new Retention(store, Duration.ofDays(7), later, 1000).pruneOnce();
        assertEquals(3, store.oldestPosition(), "the event the running sink is stuck on, and all after it, are kept");
    }
}
