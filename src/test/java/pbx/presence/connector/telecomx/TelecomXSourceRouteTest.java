package pbx.presence.connector.telecomx;

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
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.TelecomXSimulator;
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
 * The telecomx kamelet through the real router: a silent baseline, a presence change on the
 * simulated PBX becomes one valid pbx.presence.changed event, a failing poll changes no state and
 * is logged once per poll without credentials, and recovery shows what changed meanwhile.
 */
class TelecomXSourceRouteTest {

    private static final String SOURCE = "tx-e2e";
    private static final String USER = "api@duck.example";
    private static final String PASSWORD = "e2e-S3cret&pass";
    private static final String EMPLOYEES = "/pbx/app/employees";

    @TempDir
    Path dataDir;

    private final SimulatedPbx pbx = new SimulatedPbx();
    private TelecomXSimulator sim;

    @AfterEach
    void stopSimulator() {
        if (sim != null) {
            sim.stop();
        }
    }

    @Test
    void presenceChangeBecomesOneEventAndAFailingPollChangesNothing() throws Exception {
        DemoScenario.initialExtensions().forEach(pbx::put);
        sim = new TelecomXSimulator(pbx, "127.0.0.1", 0, USER, PASSWORD).start();

        try (LogCapture logs = LogCapture.open(); EmbeddedRouter router = router().start()) {
            Path state = dataDir.resolve("presence.db");
            await().atMost(Duration.ofSeconds(15)).until(() -> StoreProbe.knows(state, SOURCE));
            assertTrue(events().isEmpty(), "the first poll is a silent baseline");

            // 201 goes on holiday; the seed's policy onPresenceHoliday BUSY refuses calls then
            pbx.update("201", e -> e.withProfile(SimulatedExtension.CUSTOM_1));
            await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 1);
            JsonNode e = events().get(0);
            assertEquals("pbx.presence.changed", e.path("type").asText());
            assertEquals("201", e.path("subject").asText());
            assertEquals("/pbx-presence/sources/" + SOURCE, e.path("source").asText());
            assertEquals("AVAILABLE", e.at("/data/before/availability").asText());
            JsonNode after = e.at("/data/after");
            assertEquals("telecomx", after.path("vendor").asText());
            assertEquals("HOLIDAY", after.path("presence").asText());
            assertEquals("HOLIDAY", after.path("presenceLabel").asText());
            assertEquals("AWAY", after.path("availability").asText());
            assertFalse(after.path("acceptsCalls").asBoolean());
            assertEquals("[\"PROFILE_HOLIDAY\",\"CALLS_BLOCKED_BY_PRESENCE_POLICY\"]", after.path("reasons").toString());
            assertEquals("BUSY", after.at("/vendorStatus/onPresenceHoliday").asText());
            assertTrue(e.at("/data/changed").toString().contains("\"availability\""), e.toString());
            for (String line : lines()) {
                EventSchema.assertValid(line);
            }

            // the API fails; a real change happens meanwhile
            byte[] stateBefore = normalised(state);
            sim.setFailure("/pbx/", Failure.HTTP_500);
            pbx.update("202", x -> x.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4570305050")));
            long polls = sim.requestCount(EMPLOYEES);
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.requestCount(EMPLOYEES) >= polls + 3);
            assertEquals(1, events().size(), "a failing source produces no events");
            assertArrayEquals(stateBefore, normalised(state), "a failed poll changes no state");
            assertTrue(logs.lines(Level.WARN).stream().anyMatch(l -> l.startsWith("Poll of source " + SOURCE + " failed")
                    && l.contains("GET /pbx/app/employees?calls=true&standalone=true: HTTP 500: internal_error: Simulated internal error")),
                    "one WARN names the source, the request and the vendor's message: " + logs.lines(Level.WARN));

            sim.clearFailures();
            await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 2);
            JsonNode bob = events().get(1);
            assertEquals("202", bob.path("subject").asText());
            assertEquals("BUSY", bob.at("/data/after/availability").asText());
            assertEquals("TALKING", bob.at("/data/after/line").asText());
            for (String line : lines()) {
                EventSchema.assertValid(line);
            }
            assertEquals(1, sim.requestCount("/auth/login"), "one login for the whole run");
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains(PASSWORD)), "the password is never logged");
        }
    }

    private EmbeddedRouter router() {
        return new EmbeddedRouter(Map.of(
                "presence.state.directory", dataDir.resolve("state").toString(),
                "presence.outbox.directory", dataDir.resolve("outbox").toString(),
                "presence.file.directory", dataDir.resolve("events").toString(),
                "presence.dead-letter.directory", dataDir.resolve("dead-letter").toString(),
                "presence.source.down-after-failures", "100",
                "presence.demo.enabled", "false",
                "camel.management.enabled", "false"),
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("kamelet:telecomx-presence-source?sourceId=" + SOURCE + "&period=200&initialDelay=0&timeoutMillis=1000"
                                + "&baseUrl=" + sim.baseUrl() + "&username=RAW(" + USER + ")&password=RAW(" + PASSWORD + ")")
                                .routeId("source-x")
                                .to("direct:presence-poll");
                    }
                });
    }

    /** The stored extension states of the source (state and sequence; the source's DOWN flag and sequence are not part of it). */
    private static byte[] normalised(Path store) {
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

    private List<JsonNode> events() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines()) {
            out.add(Json.MAPPER.readTree(l));
        }
        return out;
    }
}
