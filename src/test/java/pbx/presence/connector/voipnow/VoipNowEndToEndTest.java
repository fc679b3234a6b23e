package pbx.presence.connector.voipnow;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.EmbeddedRouter;
import pbx.presence.StoreProbe;
import pbx.presence.LogCapture;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.Failure;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.VoipNowSimulator;
import pbx.presence.model.EventSchema;
import pbx.presence.model.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The voipnow kamelet in the real router against the simulator: a silent baseline, a ringing call
 * becomes one valid pbx.presence.changed event, and a failing poll changes no state.
 */
class VoipNowEndToEndTest {

    private static final String SOURCE = "vn-e2e";
    private static final String SECRET = "e2eSecretValue";

    @TempDir
    Path dataDir;

    private final SimulatedPbx pbx = new SimulatedPbx();
    private VoipNowSimulator sim;

    @AfterEach
    void stopSimulator() {
        if (sim != null) {
            sim.stop();
        }
    }

    @Test
    void baselineThenAChangeThenAFailingPollThatChangesNothing() throws Exception {
        DemoScenario.initialExtensions().forEach(pbx::put);
        // a numeric client id and user id: Camel's bean factory must still bind them as text
        sim = new VoipNowSimulator(pbx, "127.0.0.1", 0, "4711", SECRET).start();
        try (LogCapture logs = LogCapture.open(); EmbeddedRouter router = router().start()) {
            Path state = dataDir.resolve("presence.db");
            await().atMost(Duration.ofSeconds(15)).until(() -> StoreProbe.knows(state, SOURCE));
            assertEquals(List.of(), lines(), "the first poll is a silent baseline");
            assertTrue(sim.presenceRequests() >= 3, "six extensions at pageSize 2 take three pages");

            pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.RINGING, "+4930123456")));
            await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 1);
            JsonNode event = events().get(0);
            assertEquals("pbx.presence.changed", event.path("type").asText());
            assertEquals("202", event.path("subject").asText());
            assertEquals("/pbx-presence/sources/" + SOURCE, event.path("source").asText());
            assertEquals("voipnow", event.at("/data/after/vendor").asText());
            assertEquals("AVAILABLE", event.at("/data/before/availability").asText());
            assertEquals("BUSY", event.at("/data/after/availability").asText());
            assertEquals("RINGING", event.at("/data/after/line").asText());
            assertEquals("[\"RINGING\"]", event.at("/data/after/reasons").toString());
            assertEquals(2, event.at("/data/after/vendorStatus/status").asInt());
            assertTrue(event.at("/data/changed").toString().contains("\"line\""), event.toString());
            for (String line : lines()) {
                EventSchema.assertValid(line);
            }

            // the API fails while the PBX really changes: no state change, no presence event
            byte[] before = stateWithoutDownMarker(state);
            sim.setFailure(VoipNowSimulator.API_PREFIX, Failure.HTTP_500);
            pbx.update("203", e -> e.withRegistered(false));
            long requests = sim.presenceRequests();
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.presenceRequests() >= requests + 4);
            assertArrayEquals(before, stateWithoutDownMarker(state), "a failed poll changes no state");
            assertTrue(events().stream().noneMatch(e -> "203".equals(e.path("subject").asText())), "nothing detected while failing");
            assertTrue(logs.lines(Level.WARN).stream().anyMatch(l -> l.startsWith("Poll of source " + SOURCE + " failed")
                    && l.contains("GET /uapi/extensions/1/@self/presence?count=2&startIndex=0: HTTP 500: internal_error")),
                    logs.lines(Level.WARN).toString());
            assertFalse(logs.all().contains(SECRET), "the client secret is never logged");

            sim.clearFailures();
            await().atMost(Duration.ofSeconds(10)).until(() -> events().stream()
                    .anyMatch(e -> "203".equals(e.path("subject").asText()) && "OFFLINE".equals(e.at("/data/after/availability").asText())));
            assertEquals(1, sim.tokenRequests(), "one token for every poll of the test");
            for (String line : lines()) {
                EventSchema.assertValid(line);
            }
        }
    }

    private EmbeddedRouter router() {
        return new EmbeddedRouter(Map.of(
                "presence.state.directory", dataDir.resolve("state").toString(),
                "presence.outbox.directory", dataDir.resolve("outbox").toString(),
                "presence.file.directory", dataDir.resolve("events").toString(),
                "presence.dead-letter.directory", dataDir.resolve("dead-letter").toString(),
                "presence.demo.enabled", "false",
                "camel.management.enabled", "false"),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("kamelet:voipnow-presence-source?sourceId=" + SOURCE + "&baseUrl=" + sim.baseUrl()
                                + "&clientId=4711&clientSecret=" + SECRET + "&userId=1&pageSize=2&period=200&initialDelay=0&timeoutMillis=2000")
                                .routeId("source-" + SOURCE)
                                .to("direct:presence-poll");
                    }
                });
    }

    /** The stored extension states of the source (state and sequence; the source's DOWN flag and sequence are not part of it). */
    private static byte[] stateWithoutDownMarker(Path store) {
        return StoreProbe.state(store, SOURCE).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private List<String> lines() throws IOException {
        Path dir = dataDir.resolve("events");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            }
        }
        return lines;
    }

    /** Presence events only (a pbx.source.down/up may come and go around the failure). */
    private List<JsonNode> events() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines()) {
            JsonNode n = Json.MAPPER.readTree(l);
            if (n.path("type").asText().startsWith("pbx.presence.")) {
                out.add(n);
            }
        }
        return out;
    }
}
