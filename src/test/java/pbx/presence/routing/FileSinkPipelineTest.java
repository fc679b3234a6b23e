package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import pbx.presence.RouterTestSupport;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.model.EventSchema;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Poll → translate → detect → event log → file sink, through the real YAML routes and a simulated 3CX. */
class FileSinkPipelineTest extends RouterTestSupport {

    private static final String CC = "demo-3cx-callcontrol";

    @Test
    void changesBecomeSchemaValidEventsWithPerExtensionSequences() {
        await().atMost(Duration.ofSeconds(10)).until(() -> baselineRecorded(CC));
        assertTrue(fileEvents().isEmpty(), "the first poll is a silent baseline");

        var pbx = demo().pbx();
        pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        await().atMost(Duration.ofSeconds(10)).until(() -> fileEvents(CC, "202").size() == 1);
        pbx.update("202", SimulatedExtension::withNoCalls);
        await().atMost(Duration.ofSeconds(10)).until(() -> fileEvents(CC, "202").size() == 2);

        List<JsonNode> events = fileEvents(CC, "202");
        JsonNode busy = events.get(0);
        assertEquals("pbx.presence.changed", busy.path("type").asText());
        assertEquals("demo-3cx-callcontrol:202:1", busy.path("id").asText());
        assertEquals(1, busy.path("sequence").asLong());
        assertEquals("/pbx-presence/sources/demo-3cx-callcontrol", busy.path("source").asText());
        assertEquals("AVAILABLE", busy.at("/data/before/availability").asText());
        assertEquals("BUSY", busy.at("/data/after/availability").asText());
        assertEquals("ON_CALL", busy.at("/data/after/reasons/0").asText());
        assertTrue(contains(busy.at("/data/changed"), "availability"));
        JsonNode free = events.get(1);
        assertEquals(2, free.path("sequence").asLong());
        assertEquals("demo-3cx-callcontrol:202:2", free.path("id").asText());
        assertEquals("AVAILABLE", free.at("/data/after/availability").asText());

        for (String line : fileEventLines()) {
            EventSchema.assertValid(line);
        }
    }

    @Test
    void seed000TrapIsReportedAsAwayWithReasonsWhilePhoneStillRings() {
        await().atMost(Duration.ofSeconds(10)).until(() -> baselineRecorded(CC));
        // UserStatus stays "Available" (all the 3CX API says), but the profile is "Out of office" and chat offline
        demo().pbx().update("202", e -> e.withProfile(SimulatedExtension.OUT_OF_OFFICE).withChatStatus(SimulatedExtension.CHAT_OFFLINE));
        await().atMost(Duration.ofSeconds(10)).until(() -> fileEvents(CC, "202").size() == 1);
        JsonNode after = fileEvents(CC, "202").get(0).at("/data/after");
        assertEquals("Available", after.at("/vendorStatus/UserStatus").asText(), "the vendor's own field still says Available");
        assertEquals("AWAY", after.path("availability").asText());
        assertTrue(after.path("acceptsCalls").asBoolean(), "registered and idle: the phone would still ring");
        assertTrue(contains(after.path("reasons"), "PROFILE_OUT_OF_OFFICE"));
        assertTrue(contains(after.path("reasons"), "CHAT_OFFLINE"));
        assertFalse(contains(after.path("reasons"), "ON_CALL"));
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }
}
