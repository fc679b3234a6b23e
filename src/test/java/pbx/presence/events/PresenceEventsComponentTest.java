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
import pbx.presence.model.ExtensionPresence;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /** Appends one "changed" event of extension {@code extension} of source "s" and returns its id. */
    private String appendFor(String extension) {
        sequence++;
        ExtensionPresence p = ExtensionPresence.builder("s", "3cx-http", extension).observedAt(T0).build();
        PresenceEvent e = PresenceEvent.extensionEvent(EventType.CHANGED, "s", extension, sequence, T0.plusSeconds(sequence), p, p,
                List.of("line"));
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

    @Test
    void lanesDeliverExtensionsAtOnceEachInOrderWithSourceEventsBetween() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int x = 0; x < 12; x++) {
                ids.add(appendFor("x" + x));
            }
            ids.add(append());
        }
        CountDownLatch meet = new CountDownLatch(2);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("presence-events:fast?startAt=start&lanes=4").routeId("sink").process(ex -> {
                    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    // two lanes meet here at once, or the first waits alone until the timeout
                    meet.countDown();
                    meet.await(5, TimeUnit.SECONDS);
                    received.add(ex.getMessage().getHeader(Headers.EVENT_ID, String.class));
                    inFlight.decrementAndGet();
                });
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == ids.size());
        assertTrue(mostInFlight.get() >= 2, "events of different extensions were in flight together");
        assertEquals(new HashSet<>(ids), new HashSet<>(received), "each event once");
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                String a = ids.get(i);
                String b = ids.get(j);
                boolean sameExtension = a.substring(0, a.lastIndexOf(':')).equals(b.substring(0, b.lastIndexOf(':')));
                boolean sourceEvent = a.contains(":-source:") || b.contains(":-source:");
                if (sameExtension || sourceEvent) {
                    assertTrue(received.indexOf(a) < received.indexOf(b), a + " before " + b + ": " + received);
                }
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> store.sinkPositions().get("fast") == ids.size());
    }

    @Test
    void aLaneThatFailsHoldsThePositionBeforeItsEventAndNothingIsLost() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int x = 0; x < 8; x++) {
            ids.add(appendFor("x" + x));
        }
        String failing = ids.get(2);
        sinkRoute("presence-events:flaky?startAt=start&lanes=3&retryMillis=50", new AtomicInteger(2), failing);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.containsAll(ids)
                && received.stream().filter(failing::equals).count() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> store.sinkPositions().get("flaky") == ids.size());
        assertTrue(received.indexOf(ids.get(0)) >= 0 && received.indexOf(ids.get(1)) >= 0, received.toString());
    }

    /**
     * Appends {@code count} events, then starts a route on {@code uri} that records each event and holds
     * the one at {@code holdIndex} until the returned latch is released; returns once that event is held.
     */
    private CountDownLatch holdingAt(String uri, int count, int holdIndex, List<String> ids) throws Exception {
        for (int i = 0; i < count; i++) {
            ids.add(append());
        }
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("sink").process(ex -> {
                    String id = ex.getMessage().getHeader(Headers.EVENT_ID, String.class);
                    if (id.equals(ids.get(holdIndex))) {
                        held.countDown();
                        assertTrue(release.await(20, TimeUnit.SECONDS), "the test released the held event");
                    }
                    received.add(id);
                });
            }
        });
        assertTrue(held.await(10, TimeUnit.SECONDS), "the event to hold arrived");
        return release;
    }

    @Test
    void aSinkThatIsBehindStoresItsPositionAtMostEverySaveMillisAndAtOnceWhenCaughtUp() throws Exception {
        List<String> ids = new ArrayList<>();
        CountDownLatch release = holdingAt("presence-events:behind?startAt=start&batchSize=1&saveMillis=60000", 6, 3, ids);
        assertEquals(ids.subList(0, 3), received, "three delivered, the fourth in flight");
        assertEquals(0L, store.sinkPositions().get("behind"), "every read filled its batch and 60 s have not passed: not stored yet");
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.sinkPositions().get("behind") == 6L);
        assertEquals(ids, received, "each once, in order");
    }

    @Test
    void aSinkThatIsBehindStoresItsPositionAtOnceWhenAnEventFails() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(append());
        }
        sinkRoute("presence-events:rejecting?startAt=start&batchSize=1&saveMillis=60000&retryMillis=50",
                new AtomicInteger(Integer.MAX_VALUE), ids.get(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().filter(ids.get(3)::equals).count() >= 3);
        assertEquals(3L, store.sinkPositions().get("rejecting"), "stored before the failing event without waiting 60 s");
        assertEquals(ids.subList(0, 4), received.subList(0, 4));
        assertTrue(received.subList(4, received.size()).stream().allMatch(ids.get(3)::equals),
                "nothing after the failing event is handed over while it fails: " + received);
    }

    @Test
    void aStopStoresThePositionOfWhatWasDelivered() throws Exception {
        List<String> ids = new ArrayList<>();
        CountDownLatch release = holdingAt("presence-events:stopping?startAt=start&batchSize=1&saveMillis=60000", 10, 3, ids);
        PresenceEventsConsumer consumer = (PresenceEventsConsumer) camel.getRoute("sink").getConsumer();
        Thread stopper = new Thread(() -> {
            try {
                camel.getRouteController().stopRoute("sink");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !consumer.delivering());
        release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(40));
        assertEquals(ids.subList(0, 4), received, "the event in flight completed; nothing after it was handed over");
        assertEquals(4L, store.sinkPositions().get("stopping"), "stored at the stop: the next start goes on after the fourth");
    }

    @Test
    void anOptionOutOfRangeIsRefusedWithItsName() {
        for (String[] bad : new String[][] {{"saveMillis=-1", "saveMillis must be 0 or more, was -1"},
                {"lanes=0", "lanes must be a whole number from 1 to 64, was 0"},
                {"batchSize=0", "pollMillis, retryMillis and batchSize must be positive"}}) {
            Exception e = assertThrows(Exception.class,
                    () -> camel.getEndpoint("presence-events:bad?" + bad[0]));
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertEquals("presence-events:bad: " + bad[1], root.getMessage());
        }
        assertEquals(0L, ((PresenceEventsEndpoint) camel.getEndpoint("presence-events:ok?saveMillis=0")).getSaveMillis(),
                "0: stored after every batch");
    }
}
