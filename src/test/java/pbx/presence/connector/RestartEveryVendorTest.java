package pbx.presence.connector;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.EmbeddedRouter;
import pbx.presence.demo.DemoPbx;
import pbx.presence.demo.HttpSimulator;
import pbx.presence.model.EventSchema;
import pbx.presence.model.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 item 6: a restart against an unchanged PBX emits nothing, for every vendor, and events
 * carry every device field the schema documents. The real router (application.properties, YAML
 * routes, kamelets) runs the embedded demo: one simulator per vendor over the same six extensions,
 * which do not change (no ticking). The first run announces every extension
 * ({@code presence.baseline.emit-added}); the second run, over the same data folder and an identical
 * PBX, must add nothing to the file sink's output. Only the router's public behaviour is used:
 * properties, the demo simulators' request counters and the file sink's lines, so the test holds
 * whatever stores the state.
 */
class RestartEveryVendorTest {

    private static final List<String> SOURCES = List.of("demo-3cx-http", "demo-3cx-callcontrol", "demo-3cx-v20",
            "demo-voipnow", "demo-telphin", "demo-telecomx");
    private static final int EXTENSIONS = 6;

    @TempDir
    Path dataDir;

    @Test
    void restartAgainstAnUnchangedPbxEmitsNothingForAnyVendor() throws Exception {
        try (EmbeddedRouter router = router().start()) {
            await("every source announces its six extensions").atMost(Duration.ofSeconds(30))
                    .until(() -> SOURCES.stream().allMatch(s -> added(s) == EXTENSIONS));
        }
        List<String> firstRun = lines();
        assertEquals(SOURCES.size() * EXTENSIONS, firstRun.size(), "only the announcements: " + firstRun);

        // every device of every event carries online and dnd (and the other documented fields)
        int devices = 0;
        for (String line : firstRun) {
            EventSchema.assertValid(line);
            for (JsonNode d : Json.MAPPER.readTree(line).at("/data/after/devices")) {
                devices++;
                for (String field : List.of("id", "userAgent", "online", "dnd", "expiresAt")) {
                    assertTrue(d.has(field), "device without '" + field + "': " + line);
                }
            }
        }
        assertTrue(devices > 0, "the demo's vendors report devices");
        assertTrue(firstRun.stream().anyMatch(l -> l.contains("\"online\":true")), "some device is online");

        try (EmbeddedRouter router = router().start()) {
            DemoPbx demo = router.context().getRegistry().lookupByNameAndType("demoPbx", DemoPbx.class);
            List<HttpSimulator> simulators = new ArrayList<>();
            simulators.add(demo.httpSimulator());
            simulators.add(demo.callControlSimulator());
            demo.vendorIds().forEach(v -> simulators.add(demo.vendor(v)));
            // at least twenty requests per simulator: two polls or more of every source
            await("every source polls the restarted PBX").atMost(Duration.ofSeconds(30))
                    .until(() -> simulators.stream().allMatch(s -> s.totalRequestCount() >= 20));
            // and nothing reaches the file sink meanwhile, nor while the outbox drains
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> lines().size() == firstRun.size());
        }
        List<String> after = lines();
        assertFalse(after.size() > firstRun.size(),
                "a restart against an unchanged PBX emitted: " + after.subList(firstRun.size(), after.size()));
    }

    private long added(String source) {
        return lines().stream().filter(l -> l.contains("\"source\":\"/pbx-presence/sources/" + source + "\""))
                .filter(l -> l.contains("\"type\":\"pbx.extension.added\"")).count();
    }

    private EmbeddedRouter router() {
        Map<String, String> p = new HashMap<>();
        p.put("presence.state.directory", dataDir.resolve("state").toString());
        p.put("presence.outbox.directory", dataDir.resolve("outbox").toString());
        p.put("presence.file.directory", dataDir.resolve("events").toString());
        p.put("presence.dead-letter.directory", dataDir.resolve("dead-letter").toString());
        p.put("presence.baseline.emit-added", "true");
        p.put("presence.demo.enabled", "true");
        p.put(DemoPbx.HTTP_PORT_PROPERTY, "0");
        p.put(DemoPbx.CALLCONTROL_PORT_PROPERTY, "0");
        DemoPbx.VENDOR_SIMULATORS.keySet().forEach(v -> p.put(DemoPbx.portProperty(v), "0"));
        p.put("presence.demo.tick-millis", "0");
        p.put("presence.demo.poll-millis", "200");
        p.put("camel.management.enabled", "false");
        return new EmbeddedRouter(p);
    }

    /** The file sink's lines so far, in file order. */
    private List<String> lines() {
        Path dir = dataDir.resolve("events");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
