package pbx.presence.change;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.EmbeddedRouter;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;
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
 * Stop the router, change the PBX, start it again: exactly the changes made while it was down are
 * emitted, once, with sequences that continue; unchanged extensions emit nothing.
 */
public class RestartTest {

    private static final String SOURCE = "restart-pbx";

    @TempDir
    Path dataDir;

    private final SimulatedPbx pbx = new SimulatedPbx();
    private ThreeCxCallControlSimulator simulator;

    @AfterEach
    void stopSimulator() {
        if (simulator != null) {
            simulator.stop();
        }
    }

    @Test
    public void restartEmitsExactlyWhatChangedWhileDown() throws Exception {
        DemoScenario.initialExtensions().forEach(pbx::put);
        simulator = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0);
        simulator.start();

        try (EmbeddedRouter router = router().start()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> baselineRecorded(router));
            pbx.update("201", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
            await().atMost(Duration.ofSeconds(10)).until(() -> events().size() == 1);
        }
        assertEquals("201", events().get(0).path("subject").asText());
        assertEquals(1, events().get(0).path("sequence").asLong());

        // while the router is down
        pbx.update("201", SimulatedExtension::withNoCalls);
        pbx.update("202", e -> e.withPresence(SimulatedExtension.AWAY, SimulatedExtension.USER_AWAY, SimulatedExtension.CHAT_AWAY));
        pbx.remove("206");

        try (EmbeddedRouter router = router().start()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> events().size() >= 4);
            // let several more polls pass: nothing else may appear
            long polls = simulator.requestCount("/extensions");
            await().atMost(Duration.ofSeconds(10)).until(() -> simulator.requestCount("/extensions") >= polls + 3);
        }

        List<JsonNode> events = events();
        assertEquals(4, events.size(), "exactly the three changes made while down, after the one before: " + events);
        List<JsonNode> after = events.subList(1, 4);
        JsonNode e201 = bySubject(after, "201");
        assertEquals("pbx.presence.changed", e201.path("type").asText());
        assertEquals(2, e201.path("sequence").asLong(), "sequence continues across the restart");
        assertEquals("restart-pbx:201:2", e201.path("id").asText());
        assertEquals("AVAILABLE", e201.at("/data/after/availability").asText());
        JsonNode e202 = bySubject(after, "202");
        assertEquals("AWAY", e202.at("/data/after/availability").asText());
        assertEquals(1, e202.path("sequence").asLong());
        JsonNode e206 = bySubject(after, "206");
        assertEquals("pbx.extension.removed", e206.path("type").asText());
        assertTrue(e206.at("/data/after").isMissingNode() || e206.at("/data/after").isNull());
        for (String line : lines()) {
            EventSchema.assertValid(line);
        }
    }

    /** The store knows the source: its silent baseline was committed. */
    private static boolean baselineRecorded(EmbeddedRouter router) {
        PresenceLog log = router.context().getRegistry().lookupByNameAndType("presenceLog", PresenceLog.class);
        return log.sources().stream().anyMatch(s -> s.sourceId().equals(SOURCE) && s.extensions() > 0);
    }

    /** Where the store lives: the embedded file in the data folder (a PostgreSQL subclass points elsewhere). */
    protected Map<String, String> storeProperties() {
        return Map.of();
    }

    private EmbeddedRouter router() {
        Map<String, String> p = new java.util.HashMap<>(Map.of(
                "presence.state.directory", dataDir.resolve("state").toString(),
                "presence.outbox.directory", dataDir.resolve("outbox").toString(),
                "presence.file.directory", dataDir.resolve("events").toString(),
                "presence.dead-letter.directory", dataDir.resolve("dead-letter").toString(),
                "presence.demo.enabled", "false",
                "camel.management.enabled", "false"));
        p.putAll(storeProperties());
        return new EmbeddedRouter(p,
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("kamelet:3cx-callcontrol-presence-source?sourceId=" + SOURCE + "&period=200&initialDelay=0&url="
                                + simulator.extensionsUrl())
                                .routeId("source-" + SOURCE)
                                .to("direct:presence-poll");
                    }
                });
    }

    private static JsonNode bySubject(List<JsonNode> events, String subject) {
        return events.stream().filter(e -> subject.equals(e.path("subject").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no event for " + subject + " in " + events));
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
