package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.EmbeddedRouter;
import pbx.presence.StoreProbe;
import pbx.presence.LogCapture;
import pbx.presence.demo.Failure;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxV20Simulator;
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
 * The real router (application.properties, routes/, kamelets) with one extra source route on the
 * 3cx-v20 kamelet, polling the simulator: baseline, a change becomes one schema-valid event, and
 * failing polls change nothing.
 */
class ThreeCxV20RouterTest {

    private static final String SOURCE = "v20-e2e";
    private static final String SECRET = "e2e-api-key";

    @TempDir
    Path dataDir;

    private final SimulatedPbx pbx = new SimulatedPbx();
    private ThreeCxV20Simulator simulator;

    @AfterEach
    void stopSimulator() {
        if (simulator != null) {
            simulator.stop();
        }
    }

    @Test
    void baselineThenAChangeThenFailingPollsChangeNothing() throws Exception {
        pbx.put(SimulatedExtension.of("201", "Alice Andersen"));
        pbx.put(SimulatedExtension.of("202", "Bob Berger"));
        pbx.put(SimulatedExtension.of("203", "Carol Schulz"));
        simulator = new ThreeCxV20Simulator(pbx, "127.0.0.1", 0, "900", SECRET).start();
        Path state = dataDir.resolve("presence.db");

        try (LogCapture log = LogCapture.open(); EmbeddedRouter router = router().start()) {
            // baseline: silent, but recorded
            await().atMost(Duration.ofSeconds(15)).until(() -> StoreProbe.knows(state, SOURCE));
            assertTrue(StoreProbe.state(state, SOURCE).contains("\"203\""), "all pages of $top=2 made it into the baseline");
            assertEquals(List.of(), events());

            // a call rings at 202: one pbx.presence.changed event
            pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.RINGING, "+4930123456")));
            await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 1);
            JsonNode ringing = events().get(0);
            assertEquals("pbx.presence.changed", ringing.path("type").asText());
            assertEquals("/pbx-presence/sources/" + SOURCE, ringing.path("source").asText());
            assertEquals("202", ringing.path("subject").asText());
            assertEquals("3cx-v20", ringing.at("/data/after/vendor").asText());
            assertEquals("Bob Berger", ringing.at("/data/after/name").asText());
            assertEquals("RINGING", ringing.at("/data/after/line").asText());
            assertEquals(1, ringing.at("/data/after/activeCalls").asInt());
            assertEquals("BUSY", ringing.at("/data/after/availability").asText());
            assertEquals("AVAILABLE", ringing.at("/data/before/availability").asText());
            assertTrue(ringing.at("/data/changed").toString().contains("\"line\""), ringing.at("/data/changed").toString());

            // failing polls: no event, no state change, even though the PBX changed meanwhile
            simulator.setFailure(Failure.HTTP_500);
            long before = usersRequests();
            await().atMost(Duration.ofSeconds(10)).until(() -> usersRequests() >= before + 1);
            byte[] stateBefore = StoreProbe.state(state, SOURCE).getBytes();
            pbx.update("203", e -> e.withProfile(SimulatedExtension.AWAY));
            long failing = usersRequests();
            await().atMost(Duration.ofSeconds(10)).until(() -> usersRequests() >= failing + 3);
            assertEquals(1, events().size(), "a failed poll emits nothing");
            assertArrayEquals(stateBefore, StoreProbe.state(state, SOURCE).getBytes(), "a failed poll changes no state");
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("Poll of source " + SOURCE + " failed")
                    && l.contains("HTTP 500: InternalServerError: simulated internal server error")), "one WARN line per failed poll");
            assertFalse(log.all().contains(SECRET), "the API key is never logged");

            // recovery: the change made while failing arrives once
            simulator.clearFailures();
            await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 2);
            JsonNode away = events().get(1);
            assertEquals("203", away.path("subject").asText());
            assertEquals("AWAY", away.at("/data/after/presence").asText());
            assertEquals("Away", away.at("/data/after/presenceLabel").asText());
            assertEquals("AWAY", away.at("/data/after/availability").asText());
        }
        for (String line : lines()) {
            EventSchema.assertValid(line);
        }
        assertEquals(1, simulator.tokensIssued(), "one token for the whole test: cached across polls");
    }

    private long usersRequests() {
        return simulator.requestCount(ThreeCxV20Simulator.USERS_PATH);
    }

    private EmbeddedRouter router() {
        return new EmbeddedRouter(Map.of(
                "presence.state.directory", dataDir.resolve("state").toString(),
                "presence.outbox.directory", dataDir.resolve("outbox").toString(),
                "presence.file.directory", dataDir.resolve("events").toString(),
                "presence.dead-letter.directory", dataDir.resolve("dead-letter").toString(),
                "presence.demo.enabled", "false",
                "presence.source.down-after-failures", "1000",
                "camel.management.enabled", "false"),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("kamelet:3cx-v20-presence-source?sourceId=" + SOURCE + "&baseUrl=" + simulator.baseUrl()
                                + "&clientId=900&clientSecret=RAW(" + SECRET + ")&pageSize=2&period=200&initialDelay=0")
                                .routeId("source-" + SOURCE)
                                .to("direct:presence-poll");
                    }
                });
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

    private List<JsonNode> events() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines()) {
            out.add(Json.MAPPER.readTree(l));
        }
        return out;
    }
}
