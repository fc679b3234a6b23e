package pbx.presence.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.EmbeddedRouter;
import pbx.presence.LogCapture;
import pbx.presence.delivery.WebhookSigner;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;
import pbx.presence.model.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade (issue 9): today's router started on a {@code data/} folder written by the file-based
 * release (the fixture src/test/resources/upgrade/, see its README) imports state, sequences and the
 * undelivered outbox events: sequences continue, nothing is re-announced, pending events are
 * delivered once, the old folders are renamed, one INFO line says so. A damaged state file refuses
 * the import loudly instead of being taken for "no state".
 */
class UpgradeTest {

    private static final String SOURCE = "upgrade-pbx";

    @TempDir
    Path work;

    private final SimulatedPbx pbx = new SimulatedPbx();
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private ThreeCxCallControlSimulator simulator;
    private HttpServer receiver;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theFileBasedDataIsImportedSequencesContinueAndPendingEventsAreDeliveredOnce() throws Exception {
        Path data = copyFixture();
        startPbxAsTheOldRouterLeftIt();
        try (LogCapture log = LogCapture.open(); EmbeddedRouter router = router(data).start()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> fileEvents(data).size() >= 3 && posted.size() >= 3);
            List<String> info = log.lines(Level.INFO).stream().filter(l -> l.startsWith("Upgrade: imported")).toList();
            assertEquals(1, info.size(), "one INFO line: " + log.lines(Level.INFO));
            assertTrue(info.get(0).contains("1 source(s) (6 extensions) and 3 undelivered event(s)"), info.get(0));

            // several polls against the unchanged PBX: nothing is re-announced, no baseline
            long polls = simulator.requestCount("/extensions");
            await().atMost(Duration.ofSeconds(10)).until(() -> simulator.requestCount("/extensions") >= polls + 3);
            List<String> pending = List.of("upgrade-pbx:201:2", "upgrade-pbx:202:1", "upgrade-pbx:206:1");
            assertEquals(pending, ids(fileEvents(data)), "the pending events, once, in their order");
            assertEquals(pending, posted, "the webhook got them too, once");
            assertTrue(log.lines(Level.INFO).stream().noneMatch(l -> l.contains("baseline")), "no new baseline");

            pbx.update("201", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
            await().atMost(Duration.ofSeconds(10)).until(() -> fileEvents(data).size() == 4);
            assertEquals("upgrade-pbx:201:3", ids(fileEvents(data)).get(3), "the sequence continues");
        }
        assertFalse(Files.exists(data.resolve("state")) || Files.exists(data.resolve("outbox")), "the old folders are gone");
        assertTrue(Files.isDirectory(data.resolve("state.imported")) && Files.isDirectory(data.resolve("outbox.imported")),
                "renamed, not deleted");
    }

    @Test
    void aDamagedStateFileRefusesTheImportLoudlyAndIsNeverTakenForNoState() throws Exception {
        Path data = copyFixture();
        Files.writeString(data.resolve("state/" + SOURCE + ".json"), "{}");
        startPbxAsTheOldRouterLeftIt();
        try (LogCapture log = LogCapture.open(); EmbeddedRouter router = router(data).start()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> log.lines(Level.WARN).stream()
                    .filter(l -> l.startsWith("Poll of source " + SOURCE + " failed")).count() >= 3);
            List<String> warnings = log.lines(Level.WARN).stream().filter(l -> l.startsWith("Poll of source " + SOURCE)).toList();
            assertTrue(warnings.get(0).contains("Upgrade refused: state file") && warnings.get(0).contains(SOURCE + ".json")
                    && warnings.get(0).contains("nothing was imported"), warnings.get(0));
            assertTrue(log.lines(Level.INFO).stream().noneMatch(l -> l.contains("baseline")), "never a fresh baseline");
            var detector = router.context().getRegistry().lookupByNameAndType("changeDetector", pbx.presence.change.ChangeDetector.class);
            assertTrue(detector.sourcesDown().contains(SOURCE), "counted as down (readiness DOWN)");
            assertTrue(fileEvents(data).isEmpty(), "no event");
        }
        assertTrue(Files.isDirectory(data.resolve("state")) && Files.isDirectory(data.resolve("outbox")), "left where they are");
    }

    private Path copyFixture() throws IOException {
        Path from = Path.of("src/test/resources/upgrade/data");
        Path to = work.resolve("data");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    /** The PBX as it was when the old router wrote the fixture (see its README). */
    private void startPbxAsTheOldRouterLeftIt() throws IOException {
        DemoScenario.initialExtensions().forEach(pbx::put);
        pbx.update("202", e -> e.withPresence(SimulatedExtension.AWAY, SimulatedExtension.USER_AWAY, SimulatedExtension.CHAT_AWAY));
        pbx.remove("206");
        simulator = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0);
        simulator.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            posted.add(ex.getRequestHeaders().getFirst("webhook-id"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
    }

    /** Today's router with yesterday's application.properties keys pointing at the old folders. */
    private EmbeddedRouter router(Path data) {
        Map<String, String> p = new HashMap<>(Map.of(
                "presence.state.directory", data.resolve("state").toString(),
                "presence.outbox.directory", data.resolve("outbox").toString(),
                "presence.file.directory", data.resolve("events").toString(),
                "presence.dead-letter.directory", data.resolve("dead-letter").toString(),
                "presence.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "presence.webhook.secret", WebhookSigner.generateSecret(),
                "presence.demo.enabled", "false",
                "camel.management.enabled", "false"));
        return new EmbeddedRouter(p, new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:3cx-callcontrol-presence-source?sourceId=" + SOURCE + "&period=200&initialDelay=0&url="
                        + simulator.extensionsUrl()).routeId("source-" + SOURCE).to("direct:presence-poll");
            }
        });
    }

    private static List<JsonNode> fileEvents(Path data) throws IOException {
        Path dir = data.resolve("events");
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (String l : Files.readAllLines(f)) {
                    if (!l.isBlank()) {
                        out.add(Json.MAPPER.readTree(l));
                    }
                }
            }
        }
        return out;
    }

    private static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("id").asText()).toList();
    }
}
