package pbx.presence.routing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Secret rotation: presence.webhook.secret holding two space-separated whsec_ secrets signs every
 * request twice, so a consumer holding either secret accepts it.
 */
class WebhookSecretRotationTest extends WebhookTestSupport {

    static final String NEXT_SECRET = WebhookReceiver.newSecret();

    @Override
    void webhook(Properties p) {
        p.put("presence.webhook.secret", secret + " " + NEXT_SECRET);
    }

    @Test
    void twoSecretsGiveTwoV1SignaturesEachVerifiableWithItsOwnSecret() {
        awaitBaseline();
        callStarts("202");
        callEnds("202");
        awaitAllDeliveredInPerExtensionOrder();

        List<WebhookReceiver.Request> requests = receiver.requests();
        assertEquals(receiver.deliveredIds().size(), requests.size(), "one request per event");
        for (WebhookReceiver.Request r : requests) {
            // two v1 entries; the first verifies with the old secret, the second with the new one
            WebhookReceiver.assertValidDelivery(r, secret, NEXT_SECRET);
            List<byte[]> signatures = WebhookReceiver.v1Signatures(r);
            assertFalse(WebhookReceiver.signedWith(r, signatures.get(0), NEXT_SECRET), "distinct keys, distinct signatures");
            assertFalse(WebhookReceiver.signedWith(r, signatures.get(1), secret), "distinct keys, distinct signatures");
        }
    }
}
