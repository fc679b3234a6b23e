package pbx.presence.routing;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.RouterTestSupport;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 item 4: an event the file sink cannot write goes to the file sink's dead letter once, with
 * one ERROR line, and the sink goes on with the next event: no loop re-reading and re-appending
 * (the file-based release re-read a torn outbox line every 100 ms and appended the good line after
 * it 80 times in 10 s).
 */
class FileSinkPoisonTest extends RouterTestSupport {

    private static final String CC = "demo-3cx-callcontrol";

    @Test
    void anEventThatCannotBeWrittenIsDeadLetteredOnceAndTheSinkGoesOn() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> baselineRecorded(CC));
        // today's events file cannot be written: a folder stands where the file would go
        Path today = dataDir().resolve("events").resolve("events-" + LocalDate.now(ZoneOffset.UTC) + ".jsonl");
        Files.createDirectories(today);
        var pbx = demo().pbx();
        try (LogCapture log = LogCapture.open()) {
            pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
            // every demo source reports it; wait for the Call Control one, whichever order they come in
            await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterLines().stream()
                    .anyMatch(l -> l.contains("\"id\":\"demo-3cx-callcontrol:202:1\"")));
            Files.delete(today);
            pbx.update("202", SimulatedExtension::withNoCalls);
            await().atMost(Duration.ofSeconds(10)).until(() -> fileEvents(CC, "202").size() == 1);

            assertEquals("demo-3cx-callcontrol:202:2", fileEvents(CC, "202").get(0).path("id").asText(),
                    "the sink went on with the next event; the one it could not write is not written late");
            List<String> dead = deadLetterLines();
            assertTrue(dead.stream().anyMatch(l -> l.contains("\"id\":\"demo-3cx-callcontrol:202:1\"")), "dead-lettered as it was: " + dead);
            assertEquals(1, dead.stream().filter(l -> l.contains("\"id\":\"demo-3cx-callcontrol:202:1\"")).count(), "once");
            List<String> errors = log.lines(Level.ERROR).stream().filter(l -> l.startsWith("File sink could not write")).toList();
            assertEquals(dead.size(), errors.size(), "one ERROR per dead letter: " + errors);
            assertTrue(errors.stream().anyMatch(l -> l.contains("demo-3cx-callcontrol:202:1") && l.contains("dead-letter/file")), errors.toString());
            // the other demo sources may still be reporting: awaited, not asserted once
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertTrue(pending("file").isEmpty(), "nothing is stuck before the sink's position"));
        }
    }

    private List<Path> deadLetters() throws Exception {
        Path dir = dataDir().resolve("dead-letter/file");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private List<String> deadLetterLines() throws Exception {
        List<String> lines = new java.util.ArrayList<>();
        for (Path f : deadLetters()) {
            Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
        }
        return lines;
    }
}
