package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import pbx.presence.demo.SimulatedExtension;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented example filter presence.webhook.changed=.*availability.* : only events whose
 * changed list names availability are posted. Events with an empty changed list (extension added or
 * removed, source down or up) do not match it and are not posted; the file sink still gets all.
 */
class WebhookFilterTest extends WebhookTestSupport {

    @Override
    void webhook(Properties p) {
        p.put("presence.webhook.changed", ".*availability.*");
    }

    private static boolean changedAvailability(JsonNode event) {
        for (JsonNode f : event.at("/data/changed")) {
            if (f.asText().equals("availability")) {
                return true;
            }
        }
        return false;
    }

    private List<String> availabilityChanges() {
        return fileEvents().stream().filter(WebhookFilterTest::changedAvailability).map(e -> e.path("id").asText()).toList();
    }

    @Test
    void onlyEventsWhoseChangedListNamesAvailabilityArePosted() {
        awaitBaseline();
        JsonNode renamed = change("203", e -> e.withName("Carol Schulz-Meier"));
        demo().pbx().put(SimulatedExtension.of("207", "Gina Gast"));
        await().atMost(EVENT_WAIT).until(() -> !fileEvents(CC, "207").isEmpty());
        JsonNode added = fileEvents(CC, "207").get(0);
        // last: an availability change; the outbox is read in order, so once it is through the others were seen
        JsonNode busy = callStarts("202");

        assertEquals(List.of("name"), List.of(renamed.at("/data/changed/0").asText()));
        assertEquals(1, renamed.at("/data/changed").size(), "a name-only change");
        assertEquals("pbx.extension.added", added.path("type").asText());
        assertEquals(0, added.at("/data/changed").size(), "added events have an empty changed list");
        assertTrue(changedAvailability(busy));

        await().atMost(EVENT_WAIT).until(() -> receiver.deliveredIds().contains(busy.path("id").asText()));
        // (the 3CX HTTP source reports the same call a poll later or sooner: compare with what the file has then)
        await().atMost(Duration.ofSeconds(5)).until(() -> new HashSet<>(receiver.deliveredIds()).equals(new HashSet<>(availabilityChanges())));

        List<String> posted = receiver.deliveredIds();
        assertEquals(new HashSet<>(availabilityChanges()), new HashSet<>(posted));
        assertTrue(!posted.contains(renamed.path("id").asText()), "name-only change filtered out");
        assertTrue(!posted.contains(added.path("id").asText()), "empty changed list does not match .*availability.*");
        for (WebhookReceiver.Request r : receiver.requests()) {
            WebhookReceiver.assertValidDelivery(r, secret);
            assertTrue(changedAvailability(r.json()), r.body());
        }
    }
}
