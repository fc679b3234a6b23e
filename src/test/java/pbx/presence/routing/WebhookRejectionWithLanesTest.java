package pbx.presence.routing;

import java.util.Properties;

/**
 * {@link WebhookRejectionTest} with presence.webhook.lanes = 4: a receiver that rejects some
 * extensions' events while others are in flight in other lanes still gets every other event once,
 * each extension's in order, and exactly the rejected ones are dead-lettered.
 */
class WebhookRejectionWithLanesTest extends WebhookRejectionTest {

    @Override
    void webhook(Properties p) {
        p.put("presence.webhook.lanes", "4");
    }
}
