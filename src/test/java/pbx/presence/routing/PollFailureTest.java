package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.RouterTestSupport;
import pbx.presence.demo.Failure;
import pbx.presence.demo.HttpSimulator;
import pbx.presence.demo.SimulatedCall;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A vendor answering 500, garbage, truncated JSON or nothing at all: one clear WARN line naming the
 * source and the problem, no state change, one pbx.source.down after the configured failures, one
 * pbx.source.up on recovery, and the other source keeps polling throughout.
 */
class PollFailureTest extends RouterTestSupport {

    private static final String CC = "demo-3cx-callcontrol";
    private static final String TEXT = "demo-3cx-http";

    private LogCapture logs;

    @Override
    protected void configure(Properties p) {
        p.put("presence.source.down-after-failures", "3");
    }

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.open();
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
    }

    @Test
    void http500IsLoggedChangesNoStateAndGoesDownOnceThenUp() throws Exception {
        awaitBaselines();
        byte[] stateBefore = stateBytesOf(CC).orElseThrow();
        HttpSimulator cc = demo().callControlSimulator();
        cc.setFailure(Failure.HTTP_500);
        // a real change happens on the PBX while its API is failing
        demo().pbx().update("202", e -> e.withCall(SimulatedCall.direct(demo().pbx().nextCallId(), SimulatedCall.CONNECTED, "+4930999")));

        await().atMost(Duration.ofSeconds(10)).until(() -> sourceEvents(CC, "pbx.source.down").size() == 1);
        assertTrue(warnings().stream().anyMatch(l -> l.startsWith("Poll of source " + CC + " failed") && l.contains("GET /extensions: HTTP 500")),
                "WARN names the source and the problem: " + warnings());
        assertArrayEquals(stateBefore, stateBytesOf(CC).orElseThrow(), "no state change... except the DOWN flag");
        JsonNode down = sourceEvents(CC, "pbx.source.down").get(0);
        assertTrue(down.at("/data/error").asText().contains("HTTP 500"), down.toString());
        assertEquals(3, down.at("/data/failures").asInt());

        // the other source is unaffected: the same change shows up through the text API
        await().atMost(Duration.ofSeconds(10)).until(() -> fileEvents(TEXT, "202").size() == 1);

        // more failures: still exactly one DOWN event
        long polls = cc.requestCount("/extensions");
        await().atMost(Duration.ofSeconds(10)).until(() -> cc.requestCount("/extensions") >= polls + 3);
        assertEquals(1, sourceEvents(CC, "pbx.source.down").size());
        assertTrue(fileEvents(CC, "202").isEmpty(), "nothing is detected from a failing source");

        cc.setFailure(Failure.NONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> fileEvents(CC, "202").size() == 1);
        assertEquals(1, sourceEvents(CC, "pbx.source.up").size());
        List<JsonNode> all = fileEvents().stream().filter(e -> e.path("source").asText().endsWith("/" + CC)).toList();
        int upAt = indexOf(all, "pbx.source.up", null);
        int changeAt = indexOf(all, "pbx.presence.changed", "202");
        assertTrue(upAt >= 0 && upAt < changeAt, "pbx.source.up comes before the differences it reveals");
        assertEquals("BUSY", fileEvents(CC, "202").get(0).at("/data/after/availability").asText());
    }

    @Test
    void garbageTruncatedAndSilentAnswersAreEachReportedClearly() {
        awaitBaselines();
        HttpSimulator cc = demo().callControlSimulator();

        cc.setFailure(Failure.GARBAGE);
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings().stream().anyMatch(l -> l.contains(CC) && l.contains("malformed JSON")));

        cc.setFailure(Failure.TRUNCATED);
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings().stream().anyMatch(l -> l.contains(CC) && l.contains("truncated JSON")));

        cc.setFailure(Failure.HANG);
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings().stream()
                .anyMatch(l -> l.contains(CC) && l.contains("GET /extensions") && l.contains("timed out")));

        HttpSimulator text = demo().httpSimulator();
        text.setFailure("/showstatus/203", Failure.HANG);
        await().atMost(Duration.ofSeconds(15)).until(() -> warnings().stream()
                .anyMatch(l -> l.contains(TEXT) && l.contains("GET /showstatus/203") && l.contains("timed out")));
        text.setFailure("/showstatus/203", Failure.NONE);
        text.setFailure("/dnregs/204", Failure.GARBAGE);
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings().stream()
                .anyMatch(l -> l.contains(TEXT) && l.contains("/dnregs/204")));

        for (String line : logs.lines()) {
            assertTrue(!line.contains("\tat ") || !line.startsWith("WARN  pbx.presence.poll"), "a failed poll logs one line, no stack trace: " + line);
        }
        assertTrue(fileEvents(CC, "201").isEmpty() && fileEvents(TEXT, "201").isEmpty(), "failed polls produce no presence events");
    }

    private void awaitBaselines() {
        await().atMost(Duration.ofSeconds(10)).until(() -> baselineRecorded(CC) && baselineRecorded(TEXT));
    }

    private List<String> warnings() {
        return logs.lines(Level.WARN);
    }

    private List<JsonNode> sourceEvents(String sourceId, String type) {
        return fileEvents().stream()
                .filter(e -> type.equals(e.path("type").asText()) && e.path("source").asText().endsWith("/" + sourceId))
                .toList();
    }

    /** The source's stored extension states (state and sequence per extension); the DOWN marker and source sequence are not part of it. */
    private java.util.Optional<byte[]> stateBytesOf(String sourceId) throws Exception {
        var rows = probe().store().snapshot().extensions().stream().filter(x -> x.sourceId().equals(sourceId)).toList();
        return java.util.Optional.of(pbx.presence.model.Json.MAPPER.writeValueAsBytes(rows));
    }

    private static int indexOf(List<JsonNode> events, String type, String subject) {
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            if (type.equals(e.path("type").asText()) && (subject == null || subject.equals(e.path("subject").asText()))) {
                return i;
            }
        }
        return -1;
    }
}
