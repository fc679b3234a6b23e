package pbx.presence.routing;

import java.util.Properties;

/**
 * {@link WebhookRetryTest} with presence.webhook.lanes = 4: Retry-After, backoff, dead letters,
 * replays and 410 Gone behave the same while other extensions' events are in flight.
 */
class WebhookRetryWithLanesTest extends WebhookRetryTest {

    @Override
    void webhook(Properties p) {
        super.webhook(p);
        p.put("presence.webhook.lanes", "4");
    }
}
