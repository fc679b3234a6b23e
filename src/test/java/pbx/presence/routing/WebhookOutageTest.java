package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receiver that is down (connection refused) or never answers (timeout): the webhook sink keeps
 * retrying on its own thread, the file sink is not held up, and once the receiver is back every
 * event arrives in per-extension order. Stopping the router meanwhile keeps the pending events in
 * the log (after the sink's position) instead of dead-lettering them.
 */
class WebhookOutageTest extends WebhookTestSupport {

    @Override
    void webhook(Properties p) {
        p.put("presence.webhook.max-attempts", "1000"); // an outage, not a rejection: keep trying
        // a receiver that never answers should fail an attempt in 1 s here, not application.properties' 5 s
        p.put("camel.component.http.response-timeout", "1000");
        p.put("camel.component.http.so-timeout", "1000");
    }

    @Test
    void receiverDownHoldsBackNeitherTheFileSinkNorTheOrderOnceItIsBack() {
        awaitBaseline();
        receiver.stop();
        try (LogCapture log = LogCapture.open()) {
            // each step waits for the file sink: it keeps writing while the webhook sink is failing
            callStarts("202");
            callStarts("203");
            callEnds("202");
            callEnds("203");
            await().atMost(EVENT_WAIT).until(() -> log.lines(Level.WARN).stream()
                    .filter(l -> l.contains("connection refused") && l.contains("retrying")).count() >= 3);
            assertTrue(receiver.requests().isEmpty());
            assertEquals(List.of(), deadLetterLines(), "an outage dead-letters nothing");
            assertTrue(fileEvents(CC, "202").size() == 2 && fileEvents(CC, "203").size() == 2);

            receiver.restart();
            awaitAllDeliveredInPerExtensionOrder();
            assertEquals(receiver.deliveredIds().size(), receiver.requests().size(), "connection refused: no duplicates");
            for (WebhookReceiver.Request r : receiver.requests()) {
                WebhookReceiver.assertValidDelivery(r, secret);
            }
            assertEquals(List.of(), deadLetterLines());
        }
    }

    @Test
    void receiverThatNeverAnswersTimesOutAndTheSameEventIsSentAgain() {
        String target = "demo-3cx-callcontrol:202:1";
        receiver.respond((id, attempt) -> id.equals(target) && attempt == 1
                ? WebhookReceiver.Response.HANG : WebhookReceiver.Response.OK);
        awaitBaseline();
        callStarts("202");
        await().atMost(EVENT_WAIT).until(() -> !receiver.attempts(target).isEmpty());
        callEnds("202"); // the file sink writes while the webhook sink waits for an answer
        awaitAllDeliveredInPerExtensionOrder();

        List<WebhookReceiver.Request> attempts = receiver.attempts(target);
        assertEquals(List.of(-1, 200), attempts.stream().map(WebhookReceiver.Request::status).toList(),
                "unanswered, then delivered");
        assertArrayEquals(attempts.get(0).bytes(), attempts.get(1).bytes(), "the same event again (consumers deduplicate by id)");
        long gapMillis = TimeUnit.NANOSECONDS.toMillis(attempts.get(1).nanos() - attempts.get(0).nanos());
        assertTrue(gapMillis >= 1000 && gapMillis < 4000, "the 1 s response timeout ended the attempt: gap " + gapMillis + " ms");
        for (WebhookReceiver.Request r : receiver.requests()) {
            WebhookReceiver.assertValidDelivery(r, secret);
        }
        assertEquals(List.of(), deadLetterLines());
    }

    @Test
    void stoppingTheRouterDuringAnOutageKeepsTheEventInTheLog() {
        awaitBaseline();
        receiver.stop();
        try (LogCapture log = LogCapture.open()) {
            JsonNode pending = callStarts("202");
            // the sink is in its retry loop (on this event or on another source's report of the same call)
            await().atMost(EVENT_WAIT).until(() -> log.lines(Level.WARN).stream()
                    .anyMatch(l -> l.startsWith("Webhook delivery of") && l.contains("retrying")));

            context.stop();

            assertEquals(List.of(), deadLetterLines(), "a shutdown is not a reason to give up on an event");
            List<String> outbox = webhookPending();
            assertTrue(outbox.stream().anyMatch(l -> l.contains("\"id\":\"" + pending.path("id").asText() + "\"")),
                    "the event is still after the webhook's position for the next start: " + outbox);
            List<String> kept = log.lines(Level.WARN).stream().filter(l -> l.contains("stays in the event log")).toList();
            assertEquals(1, kept.size(), "one line says which event was interrupted: " + kept);
            String keptId = kept.get(0).replaceFirst("^Router stopping: webhook event (\\S+) .*$", "$1");
            assertTrue(outbox.stream().anyMatch(l -> l.contains("\"id\":\"" + keptId + "\"")), keptId + " is still to be delivered");
            assertTrue(log.lines(Level.ERROR).stream().noneMatch(l -> l.startsWith("Webhook gave up")), "no dead-letter ERROR");
        }
    }
}
