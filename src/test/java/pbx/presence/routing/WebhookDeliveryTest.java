package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every event the router detects reaches a real HTTP receiver as a Standard Webhooks request that the
 * receiver can verify on its own: signature, id, timestamp, content type, schema-valid CloudEvent.
 */
class WebhookDeliveryTest extends WebhookTestSupport {

    @Test
    void everyEventArrivesSignedSchemaValidAndInFileSinkOrder() {
        awaitBaseline();
        JsonNode busy = callStarts("202");
        JsonNode free = callEnds("202");
        // a name that is not ASCII: the signed bytes must be the bytes sent (UTF-8)
        String name = "Jürgen Ölmüller ☎ 日本";
        JsonNode renamed = change("203", e -> e.withName(name));

        awaitAllDeliveredInPerExtensionOrder();

        List<WebhookReceiver.Request> requests = receiver.requests();
        for (WebhookReceiver.Request r : requests) {
            WebhookReceiver.assertValidDelivery(r, secret);
        }
        assertEquals(receiver.deliveredIds().size(), requests.size(), "one request per event when the receiver answers 200");

        WebhookReceiver.Request first = receiver.attempts(busy.path("id").asText()).get(0);
        assertEquals("demo-3cx-callcontrol:202:1", first.id());
        assertEquals(busy.toString(), first.json().toString(), "the body is the event the file sink wrote");
        assertEquals("demo-3cx-callcontrol:202:2", free.path("id").asText());
        assertEquals(1, receiver.attempts(free.path("id").asText()).size());

        WebhookReceiver.Request unicode = receiver.attempts(renamed.path("id").asText()).get(0);
        assertEquals(name, unicode.json().at("/data/after/name").asText(), "UTF-8 body");
        assertTrue(WebhookReceiver.signedWith(unicode, WebhookReceiver.v1Signatures(unicode).get(0), secret),
                "the signature covers the UTF-8 bytes on the wire");
    }
}
