package pbx.presence.routing;

import org.junit.jupiter.api.Test;
import pbx.presence.events.PresenceEventsEndpoint;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The shipped webhook with presence.webhook.lanes = 4: the same deliveries as {@link WebhookDeliveryTest}
 * (every event once, signed, each extension's in log order) with four events in flight.
 */
class WebhookLanesTest extends WebhookDeliveryTest {

    @Override
    void webhook(Properties p) {
        p.put("presence.webhook.lanes", "4");
    }

    @Test
    void theSinkReadsTheLogWithTheConfiguredLanes() {
        PresenceEventsEndpoint endpoint = (PresenceEventsEndpoint) context.getRoute("sink-webhook").getEndpoint();
        assertEquals(4, endpoint.getLanes());
    }
}
