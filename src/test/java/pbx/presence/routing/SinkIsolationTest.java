package pbx.presence.routing;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sink whose receiver refuses connections for the whole test never delays the others, and once
 * its receiver is back it catches up, in order. The down sink is an integrator's own route,
 * {@code from: presence-events:crm}, with no error handler: every failure leaves its position
 * where it was.
 */
class SinkIsolationTest extends WebhookTestSupport {

    private WebhookReceiver crm;

    @AfterEach
    void stopCrm() {
        if (crm != null) {
            crm.close();
        }
    }

    @Test
    void aSinkDownForTheWholeTestNeverDelaysTheOthersAndCatchesUpInOrder() throws Exception {
        crm = WebhookReceiver.start();
        crm.stop(); // refusing from the start
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("presence-events:crm?retryMillis=100").routeId("sink-crm")
                        .setHeader("webhook-id", header(Headers.EVENT_ID))
                        .setHeader("Content-Type", constant("application/json"))
                        .to(crm.url() + "&httpClient.retryStrategy=#webhookHttpNoRetries");
            }
        });
        awaitBaseline();
        for (String ext : List.of("202", "203", "202", "204")) {
            if (fileEvents(CC, ext).size() % 2 == 0) {
                callStarts(ext); // waits for the file sink: it is not held up
            } else {
                callEnds(ext);
            }
        }
        awaitAllDeliveredInPerExtensionOrder(); // the webhook is not held up either
        assertTrue(crm.requests().isEmpty(), "the crm receiver was down all along");
        assertTrue(pending("crm").size() >= 4, "its events wait after its position: " + pending("crm").size());

        crm.restart();
        await().atMost(EVENT_WAIT).untilAsserted(() -> {
            assertEquals(new HashSet<>(fileEventIds()), new HashSet<>(crm.deliveredIds()), "the crm sink caught up");
            assertEquals(byExtension(fileEventIds()), byExtension(crm.deliveredIds()), "in order");
        });
        assertEquals(crm.deliveredIds().size(), crm.requests().size(), "refused connections were never half-delivered");
    }
}
