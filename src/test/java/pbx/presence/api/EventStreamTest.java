package pbx.presence.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;
import pbx.presence.model.LineState;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pbx.presence.api.PresenceApiTest.ext;

/** The live event stream (SSE) over real HTTP: order, resume by Last-Event-ID, heartbeats, 410, slow clients. */
class EventStreamTest extends ApiTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Override
    protected void configure(Properties p) {
        super.configure(p);
        p.put("presence.api.stream.heartbeat-seconds", "1");
        p.put("presence.api.stream.slow-client-seconds", "2");
        p.put("presence.api.stream.buffer-kilobytes", "16");
    }

    private EventStream stream() {
        return context.getRegistry().lookupByNameAndType("presenceEventStream", EventStream.class);
    }

    @Test
    void liveEventsArriveInOrderWithTheirLogPositionAsIdAndHeartbeatsKeepTheStreamOpen() throws Exception {
        feed().put(ext("hq", "201", "Alice", LineState.IDLE));
        long head = storeView().headPosition();
        try (SseClient sse = new SseClient(uri("/api/events/stream"))) {
            assertEquals(200, sse.status());
            assertEquals("text/event-stream; charset=utf-8", sse.response().headers().firstValue("Content-Type").orElse(""));
            await().atMost(WAIT).until(() -> stream().clientCount() == 1);
            feed().put(ext("hq", "201", "Alice", LineState.TALKING));
            feed().put(ext("hq", "202", "Bob", LineState.IDLE));
            List<SseClient.Frame> frames = sse.next(2, WAIT);
            assertEquals(Long.toString(head + 1), frames.get(0).id(), "no 'after': only what happens from now on");
            JsonNode first = Json.MAPPER.readTree(frames.get(0).data());
            assertEquals("hq:201:2", first.path("id").asText());
            assertEquals("BUSY", first.path("data").path("after").path("availability").asText());
            assertEquals(Long.toString(head + 2), frames.get(1).id());
            await().atMost(WAIT).until(() -> sse.drain().stream().anyMatch(f -> "heartbeat".equals(f.comment())));
        }
    }

    @Test
    void resumingWithLastEventIdLosesAndRepeatsNothingAcrossADisconnect() throws Exception {
        List<String> seen = new ArrayList<>();
        String last;
        long start = storeView().headPosition();
        try (SseClient sse = new SseClient(uri("/api/events/stream?after=" + start))) {
            for (int i = 0; i < 10; i++) {
                feed().put(ext("hq", "2" + (10 + i), "P" + i, LineState.IDLE));
            }
            for (SseClient.Frame f : sse.next(10, WAIT)) {
                seen.add(f.id());
            }
            last = seen.get(seen.size() - 1);
        }
        // while disconnected: far more than the stream's in-memory ring (16 KB), so the resume starts from the log
        for (int i = 0; i < 120; i++) {
            feed().put(ext("hq", "2" + (10 + i % 10), "P" + i, i % 2 == 0 ? LineState.TALKING : LineState.IDLE));
        }
        try (SseClient sse = new SseClient(uri("/api/events/stream"), "Last-Event-ID", last)) {
            for (SseClient.Frame f : sse.next(120, WAIT)) {
                seen.add(f.id());
            }
            feed().put(ext("hq", "299", "Late", LineState.IDLE));
            seen.add(sse.next(WAIT).id());
        }
        List<String> expected = new ArrayList<>();
        for (long p = start + 1; p <= start + 131; p++) {
            expected.add(Long.toString(p));
        }
        assertEquals(expected, seen, "every position once, in order");
    }

    @Test
    void clientsThatFallBehindTheRingWhileConnectedCatchUpFromTheLogExactlyFilteredOrNot() throws Exception {
        long start = storeView().headPosition();
        try (SseClient all = new SseClient(uri("/api/events/stream?after=" + start));
             SseClient branch = new SseClient(uri("/api/events/stream?after=" + start + "&source=branch"))) {
            await().atMost(WAIT).until(() -> stream().clientCount() == 2);
            // a burst of ~1 KB events, far more than the 16 KB ring: both clients are soon behind it
            String name = "n".repeat(700);
            List<String> expectedAll = new ArrayList<>();
            List<String> expectedBranch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String source = i % 3 == 0 ? "branch" : "hq";
                feed().put(ext(source, "3" + (i % 40), name + i, i % 2 == 0 ? LineState.TALKING : LineState.IDLE));
                expectedAll.add(Long.toString(start + 1 + i));
                if (source.equals("branch")) {
                    expectedBranch.add(Long.toString(start + 1 + i));
                }
            }
            assertEquals(expectedAll, all.next(300, WAIT).stream().map(SseClient.Frame::id).toList(), "every position once, in order");
            assertEquals(expectedBranch, branch.next(expectedBranch.size(), WAIT).stream().map(SseClient.Frame::id).toList(),
                    "every 'branch' position once, in order");
            // caught up, both follow the head live again
            feed().put(ext("branch", "399", "Late", LineState.IDLE));
            assertEquals(Long.toString(start + 301), all.next(WAIT).id());
            assertEquals(Long.toString(start + 301), branch.next(WAIT).id());
        }
    }

    @Test
    void aPositionPastRetentionIs410() throws Exception {
        for (int i = 0; i < 5; i++) {
            feed().put(ext("hq", "20" + i, "P" + i, LineState.IDLE));
        }
        long head = storeView().headPosition();
        await().atMost(Duration.ofSeconds(10)).until(() -> feed().pruneAll() >= 0 && storeView().oldestPosition() > head);
        try (SseClient sse = new SseClient(uri("/api/events/stream"), "Last-Event-ID", Long.toString(head - 3))) {
            assertEquals(410, sse.status());
            assertEquals(Problem.MEDIA_TYPE, sse.response().headers().firstValue("Content-Type").orElse(""));
        }
        try (SseClient sse = new SseClient(uri("/api/events/stream?after=" + head))) {
            assertEquals(200, sse.status());
            feed().put(ext("hq", "209", "Late", LineState.IDLE));
            assertEquals(Long.toString(head + 1), sse.next(WAIT).id());
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithAFinalEventSayingWhy() throws Exception {
        // ~4 KB events, enough to fill the socket buffers of a client that reads nothing
        String bigName = "x".repeat(4000);
        long start = storeView().headPosition();
        for (int i = 0; i < 3000; i++) {
            feed().put(ext("hq", "2" + i, bigName, LineState.IDLE));
        }
        try (Socket socket = new Socket("127.0.0.1", apiPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/events/stream?after=" + start + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(WAIT).until(() -> stream().clientCount() == 1);
            // the client reads nothing: after slow-client-seconds (2) it is dropped
            await().atMost(Duration.ofSeconds(30)).until(() -> stream().clientCount() == 0);
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int dropped = text.lastIndexOf("event: dropped\ndata: ");
            assertTrue(dropped > 0, "a final 'dropped' event");
            String data = text.substring(dropped + "event: dropped\ndata: ".length()).lines().findFirst().orElseThrow();
            JsonNode why = Json.MAPPER.readTree(data);
            assertTrue(why.path("reason").asText().contains("did not read its events"), why.toString());
            long lastPosition = why.path("position").asLong();
            assertTrue(lastPosition > start && lastPosition < start + 3000, "it was dropped part-way: " + lastPosition);
            assertTrue(text.contains("id: " + lastPosition + "\n"), "the final event names the last position it was sent");
        }
    }
}
