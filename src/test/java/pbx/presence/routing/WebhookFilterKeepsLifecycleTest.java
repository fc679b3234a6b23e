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
 * The variant the YAML comment recommends for "availability changes and lifecycle events":
 * presence.webhook.changed=(|.*availability.*) also posts events with an empty changed list
 * (here: pbx.extension.added), and still drops a name-only change.
 */
class WebhookFilterKeepsLifecycleTest extends WebhookTestSupport {

    @Override
    void webhook(Properties p) {
        p.put("presence.webhook.changed", "(|.*availability.*)");
    }

    private List<String> expected() {
        return fileEvents().stream()
                .filter(e -> e.at("/data/changed").isEmpty() || e.at("/data/changed").toString().contains("\"availability\""))
                .map(e -> e.path("id").asText()).toList();
    }

    @Test
    void emptyChangedListsPassAndNameOnlyChangesDoNot() {
        awaitBaseline();
        JsonNode renamed = change("203", e -> e.withName("Carol Schulz-Meier"));
        demo().pbx().put(SimulatedExtension.of("207", "Gina Gast"));
        await().atMost(EVENT_WAIT).until(() -> !fileEvents(CC, "207").isEmpty());
        JsonNode added = fileEvents(CC, "207").get(0);
        JsonNode busy = callStarts("202");

        await().atMost(EVENT_WAIT).until(() -> receiver.deliveredIds().contains(busy.path("id").asText()));
        await().atMost(Duration.ofSeconds(5)).until(() -> new HashSet<>(receiver.deliveredIds()).equals(new HashSet<>(expected())));

        List<String> posted = receiver.deliveredIds();
        assertTrue(posted.contains(added.path("id").asText()), "added (empty changed list) is posted");
        assertTrue(!posted.contains(renamed.path("id").asText()), "name-only change is not");
        assertEquals(new HashSet<>(expected()), new HashSet<>(posted));
        for (WebhookReceiver.Request r : receiver.requests()) {
            WebhookReceiver.assertValidDelivery(r, secret);
        }
    }
}
