package pbx.presence.routing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.DataFolder;
import pbx.presence.EmbeddedRouter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a source kamelet's {@code period} means (README "Add a real PBX"): from the start of one poll
 * to the start of the next, and polls of one source never overlap; a poll that takes longer than the
 * period is followed at once by the next. Measured at a real vendor HTTP server (many threads, so an
 * overlapping poll would show), with bounds that tell start-to-start from end-to-start.
 */
class PollPeriodTest {

    @TempDir
    Path dataDir;

    private final PbxBridge bridge = new PbxBridge();

    @AfterEach
    void stop() {
        bridge.close();
    }

    @Test
    void aPollLongerThanThePeriodIsNeverOverlappedAndIsFollowedAtOnce() throws Exception {
        bridge.answerAfter(0);
        try (EmbeddedRouter router = router(1500).start()) {
            // past the baseline (the first poll of a new source does more work): hold the next poll open
            await().atMost(Duration.ofSeconds(15)).until(() -> bridge.starts().size() >= 2);
            bridge.holdUntilReleased();
            await().atMost(Duration.ofSeconds(5)).until(() -> bridge.starts().size() == 3);
            // held for two periods: no other poll starts meanwhile
            await().during(Duration.ofMillis(3000)).atMost(Duration.ofSeconds(6)).until(() -> bridge.starts().size() == 3);

            bridge.answerAfter(0);
            long released = bridge.releaseHeld();
            await().atMost(Duration.ofSeconds(5)).until(() -> bridge.starts().size() >= 4);
            long gapMillis = (bridge.starts().get(3) - released) / 1_000_000;
            assertTrue(gapMillis < 1000, "the overdue next poll starts right after the long one ended, not a period (1500 ms) later: "
                    + gapMillis + " ms");
            assertEquals(1, bridge.maxInFlight(), "polls of one source never overlap");

            // the poll-duration histogram measures from the timer firing: the held poll took 3 s or more
            MeterRegistry meters = router.context().getRegistry().findSingleByType(MeterRegistry.class);
            Timer polls = meters.get("pbx.presence.source.poll.duration").tag("source", "period-test").tag("outcome", "ok").timer();
            await().atMost(Duration.ofSeconds(5)).until(() -> polls.max(TimeUnit.MILLISECONDS) >= 3000);
        }
    }

    @Test
    void theSpacingOfPollsIsThePeriodFromStartToStart() throws Exception {
        // each answer takes 300 ms: start-to-start gives ~500 ms between polls, end-to-start would give 800+
        bridge.answerAfter(300);
        try (EmbeddedRouter router = router(500).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> bridge.starts().size() >= 8);
        }
        List<Long> starts = bridge.starts();
        List<Long> gaps = new ArrayList<>();
        for (int i = 2; i < starts.size(); i++) { // the first gap includes the router's start-up
            gaps.add((starts.get(i) - starts.get(i - 1)) / 1_000_000);
        }
        assertTrue(gaps.stream().allMatch(g -> g >= 450), "never sooner than the period: " + gaps);
        long median = gaps.stream().sorted().toList().get(gaps.size() / 2);
        assertTrue(median < 750, "start to start, not end to start (which would be 800 ms or more): " + gaps);
        assertEquals(1, bridge.maxInFlight(), "polls of one source never overlap");
    }

    private EmbeddedRouter router(int periodMillis) {
        return new EmbeddedRouter(DataFolder.routerProperties(dataDir), new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:3cx-callcontrol-presence-source?sourceId=period-test&initialDelay=0&timeoutMillis=5000&period="
                        + periodMillis + "&url=" + bridge.url())
                        .routeId("source-period-test")
                        .to("direct:presence-poll");
            }
        });
    }

    /** A 3CX Call Control bridge that answers after a delay, or holds each request until the test releases it. */
    static final class PbxBridge implements AutoCloseable {

        private final byte[] body;
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final ScheduledExecutorService answers = Executors.newSingleThreadScheduledExecutor();
        private final List<Long> starts = new CopyOnWriteArrayList<>();
        private final BlockingQueue<HttpExchange> held = new LinkedBlockingQueue<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger maxInFlight = new AtomicInteger();
        private volatile long answerAfterMillis = -1;

        PbxBridge() {
            try {
                body = Files.readAllBytes(Path.of("src/test/resources/vendors/3cx-callcontrol/several.json"));
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(threads);
            server.createContext("/extensions", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/extensions";
        }

        void holdUntilReleased() {
            answerAfterMillis = -1;
        }

        void answerAfter(long millis) {
            answerAfterMillis = millis;
        }

        /** Answers every held request now; returns when (System.nanoTime). */
        long releaseHeld() {
            long now = System.nanoTime();
            for (HttpExchange x; (x = held.poll()) != null; ) {
                answer(x);
            }
            return now;
        }

        /** System.nanoTime of every request's arrival, in order. */
        List<Long> starts() {
            return List.copyOf(starts);
        }

        int maxInFlight() {
            return maxInFlight.get();
        }

        private void handle(HttpExchange exchange) {
            starts.add(System.nanoTime());
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            long after = answerAfterMillis;
            if (after < 0) {
                held.add(exchange);
            } else {
                // answered from another thread later: the request stays open meanwhile, as at a slow PBX
                answers.schedule(() -> answer(exchange), after, TimeUnit.MILLISECONDS);
            }
        }

        private void answer(HttpExchange exchange) {
            inFlight.decrementAndGet();
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException e) {
                // the router gave up on this request (its timeout): nothing to answer
            }
        }

        @Override
        public void close() {
            releaseHeld();
            server.stop(0);
            answers.shutdownNow();
            threads.shutdownNow();
        }
    }
}
