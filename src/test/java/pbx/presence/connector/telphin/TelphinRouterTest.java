package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.EmbeddedRouter;
import pbx.presence.StoreProbe;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.Failure;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.TelphinSimulator;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The telphin kamelet in the real router: baseline, a status change becomes one valid
 * pbx.presence.changed event, and failing polls change no state.
 */
class TelphinRouterTest {

    private static final String SOURCE = "e2e-telphin";
    private static final String STATUSES_PATH = "/api/ver1.0/client/@me/extension/call_status/";

    @TempDir
    Path dataDir;

    private final SimulatedPbx pbx = new SimulatedPbx();
    private TelphinSimulator sim;

    @AfterEach
    void stopSimulator() {
        if (sim != null) {
            sim.stop();
        }
    }

    @Test
    void statusChangeBecomesAnEventAndAFailingPollChangesNothing() throws Exception {
        DemoScenario.initialExtensions().forEach(pbx::put);
        sim = new TelphinSimulator(pbx, "127.0.0.1", 0, "presence-app", "e2eSecret42").start();

        try (EmbeddedRouter router = router().start()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> StoreProbe.knows(dataDir.resolve("presence.db"), SOURCE));
            assertEquals(List.of(), lines(), "the first poll is a silent baseline");

            pbx.update("202", e -> e.withProfile(SimulatedExtension.OUT_OF_OFFICE));
            await().atMost(Duration.ofSeconds(10)).until(() -> bySubject("202").size() == 1);
            JsonNode changed = bySubject("202").get(0);
            assertEquals("pbx.presence.changed", changed.path("type").asText());
            assertEquals("/pbx-presence/sources/" + SOURCE, changed.path("source").asText());
            JsonNode after = changed.at("/data/after");
            assertEquals("telphin", after.path("vendor").asText());
            assertEquals("Out of office", after.path("presenceLabel").asText());
            assertEquals("DND", after.path("availability").asText());
            assertEquals("CALLS_BLOCKED_BY_STATUS", after.path("reasons").get(0).asText());
            assertEquals(false, after.path("acceptsCalls").asBoolean());
            assertEquals("AVAILABLE", changed.at("/data/before/availability").asText());
            assertTrue(changed.at("/data/changed").toString().contains("allowedCalls"), changed.at("/data/changed").toString());

            // polls fail while 203 starts a call: nothing about 203 may be recorded or emitted
            sim.setFailure(Failure.HTTP_500);
            long before = sim.requestCount(STATUSES_PATH);
            pbx.update("203", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930999")));
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.requestCount(STATUSES_PATH) >= before + 3);
            assertEquals(List.of(), bySubject("203"), "a failed poll changes no state");
            String state = StoreProbe.state(dataDir.resolve("presence.db"), SOURCE);
            assertTrue(!state.contains("TALKING"), "the stored state did not take the call in: " + state);

            sim.clearFailures();
            await().atMost(Duration.ofSeconds(10)).until(() -> bySubject("203").size() == 1);
            JsonNode call = bySubject("203").get(0);
            assertEquals("BUSY", call.at("/data/after/availability").asText());
            assertEquals("TALKING", call.at("/data/after/line").asText());
            assertEquals(1, call.path("sequence").asLong());
        }
        for (String line : lines()) {
            EventSchema.assertValid(line);
        }
        assertTrue(events().stream().anyMatch(e -> e.path("type").asText().equals("pbx.source.down")),
                "three failures in a row took the source down once");
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
                        from("kamelet:telphin-presence-source?sourceId=" + SOURCE + "&period=200&initialDelay=0"
                                + "&baseUrl=" + sim.baseUrl() + "&clientId=presence-app&clientSecret=RAW(e2eSecret42)"
                                + "&timeoutMillis=1000")
                                .routeId("source-" + SOURCE)
                                .to("direct:presence-poll");
                    }
                });
    }

    private List<JsonNode> bySubject(String subject) throws IOException {
        return events().stream()
                .filter(e -> e.path("type").asText().equals("pbx.presence.changed") && subject.equals(e.path("subject").asText()))
                .toList();
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
