package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.model.EventSchema;
import pbx.presence.model.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the webhook sink reacts to what a real receiver answers: 503 with Retry-After is retried
 * after the time the receiver asked for, 400 is dead-lettered after one attempt (and can be
 * replayed), 410 disables the sink and keeps every event in the log after its position, and none of it holds back
 * the other sinks.
 */
class WebhookRetryTest extends WebhookTestSupport {

    /** The Call Control event ids of one extension the file sink wrote, in order. */
    private List<String> ids(String extension) {
        return fileEvents(CC, extension).stream().map(e -> e.path("id").asText()).toList();
    }

    @Test
    void unavailableWithRetryAfterIsRetriedAfterTheAskedDelayWithTheSameIdAndBody() {
        String target = "demo-3cx-callcontrol:202:1";
        receiver.respond((id, attempt) -> id.equals(target) && attempt <= 2
                ? new WebhookReceiver.Response(503, Map.of("Retry-After", "1"))
                : WebhookReceiver.Response.OK);
        awaitBaseline();
        try (LogCapture log = LogCapture.open()) {
            callStarts("202");
            callEnds("202"); // a later event of the same extension, queued behind the retried one

            awaitAllDeliveredInPerExtensionOrder();

            List<WebhookReceiver.Request> attempts = receiver.attempts(target);
            assertEquals(List.of(503, 503, 200), attempts.stream().map(WebhookReceiver.Request::status).toList());
            for (WebhookReceiver.Request r : attempts) {
                WebhookReceiver.assertValidDelivery(r, secret);
                assertEquals(target, r.id(), "same webhook-id on every attempt");
                assertArrayEquals(attempts.get(0).bytes(), r.bytes(), "same body on every attempt");
            }
            for (int i = 1; i < attempts.size(); i++) {
                long gapMillis = TimeUnit.NANOSECONDS.toMillis(attempts.get(i).nanos() - attempts.get(i - 1).nanos());
                assertTrue(gapMillis >= 900, "attempt " + (i + 1) + " waited for Retry-After: 1 (gap " + gapMillis
                        + " ms; the configured backoff is 100-400 ms)");
                assertTrue(gapMillis < 3000, "Retry-After 1 s, not much more: gap " + gapMillis + " ms");
            }

            // in order: the extension's next event is posted only after the retried one got through
            String next = ids("202").get(1);
            assertEquals("demo-3cx-callcontrol:202:2", next);
            WebhookReceiver.Request nextRequest = receiver.attempts(next).get(0);
            assertTrue(nextRequest.nanos() > attempts.get(2).nanos(), "202:2 after 202:1 was delivered");
            assertTrue(Files.notExists(deadLetterDir()) || deadLetterLines().isEmpty(), "nothing dead-lettered");
            assertTrue(log.lines(Level.WARN).stream().anyMatch(l -> l.contains(target) && l.contains("HTTP 503")
                    && l.contains("Retry-After 1000 ms")), "each retry is logged with its reason and wait");
        }
    }

    @Test
    void badRequestIsNotRetriedButDeadLetteredAsAReplayableLine() throws Exception {
        String target = "demo-3cx-callcontrol:202:1";
        receiver.respond((id, attempt) -> id.equals(target) && attempt == 1
                ? WebhookReceiver.Response.of(400) : WebhookReceiver.Response.OK);
        awaitBaseline();
        try (LogCapture log = LogCapture.open()) {
            JsonNode rejected = callStarts("202");
            await().atMost(EVENT_WAIT).until(() -> deadLetterLines().size() == 1);
            callEnds("202");
            await().atMost(EVENT_WAIT).until(() -> receiver.deliveredIds().containsAll(
                    fileEventIds().stream().filter(i -> !i.equals(target)).toList()));

            assertEquals(1, receiver.attempts(target).size(), "a 400 is not retried");
            WebhookReceiver.assertValidDelivery(receiver.attempts(target).get(0), secret);
            assertTrue(receiver.deliveredIds().contains("demo-3cx-callcontrol:202:2"), "later events still go out");
            assertDeadLettered(rejected, log, "HTTP 400");

            replayDeadLetters();
            await().atMost(EVENT_WAIT).until(() -> receiver.deliveredIds().contains(target));
            assertEquals(2, receiver.attempts(target).size(), "replayed once");
            WebhookReceiver.assertValidDelivery(receiver.attempts(target).get(1), secret);
            assertArrayEquals(receiver.attempts(target).get(0).bytes(), receiver.attempts(target).get(1).bytes(),
                    "the replay posts the same event");
        }
    }

    @Test
    void goneDisablesTheWebhookSinkLoudlyAndKeepsEveryEventInTheLog() throws Exception {
        String target = "demo-3cx-callcontrol:203:1";
        receiver.respond((id, attempt) -> id.equals(target) ? WebhookReceiver.Response.of(410) : WebhookReceiver.Response.OK);
        awaitBaseline();
        try (LogCapture log = LogCapture.open()) {
            callStarts("203");
            await().atMost(EVENT_WAIT).until(() -> context.getRouteController().getRouteStatus("sink-webhook").isStopped());
            assertTrue(log.lines(org.apache.logging.log4j.Level.ERROR).stream()
                            .anyMatch(l -> l.startsWith("WEBHOOK DISABLED") && l.contains("410 Gone") && l.contains(target)
                                    && l.contains("presence.webhook.url")),
                    "one loud line says what happened and what to do: " + log.lines(org.apache.logging.log4j.Level.ERROR));

            JsonNode later = callStarts("204"); // reaches the file sink, waits in the log for the webhook
            assertEquals(1, receiver.attempts(target).size(), "a 410 is not retried");
            assertTrue(deadLetterLines().isEmpty(), "nothing is dead-lettered: the events wait for a corrected endpoint");
            await().atMost(EVENT_WAIT).until(() -> outboxText().contains(target) && outboxText().contains(later.path("id").asText()));
            assertTrue(receiver.deliveredIds().stream().noneMatch(id -> id.startsWith("demo-3cx-callcontrol:204")),
                    "a disabled endpoint gets nothing more");
        }
    }

    private String outboxText() {
        return String.join("\n", webhookPending());
    }

    @Test
    void retryableAnswersAreRetriedWithBackoffUpToMaxAttemptsThenDeadLettered() {
        String target = "demo-3cx-callcontrol:202:1";
        receiver.respond((id, attempt) -> id.equals(target) ? WebhookReceiver.Response.of(429) : WebhookReceiver.Response.OK);
        awaitBaseline();
        try (LogCapture log = LogCapture.open()) {
            JsonNode throttled = callStarts("202");
            await().atMost(EVENT_WAIT).until(() -> deadLetterLines().size() == 1);

            List<WebhookReceiver.Request> attempts = receiver.attempts(target);
            assertEquals(5, attempts.size(), "presence.webhook.max-attempts=5 attempts in all, first try included");
            // backoff 100 ms doubling up to 400 ms, +-20% jitter (plus the request's own time). Camel
            // doubles the previous, already jittered delay and jitters again, so the low ends compound:
            // 80, 128, 205, 327 ms at worst (less timer slack) before the 400 ms cap takes over
            long[] minimum = {70, 115, 185, 300};
            for (int i = 1; i < attempts.size(); i++) {
                long gapMillis = TimeUnit.NANOSECONDS.toMillis(attempts.get(i).nanos() - attempts.get(i - 1).nanos());
                assertTrue(gapMillis >= minimum[i - 1] && gapMillis < 2000, "gap before attempt " + (i + 1) + ": " + gapMillis + " ms");
            }
            String line = assertDeadLettered(throttled, log, "gave up after 5 attempts");
            assertTrue(line.contains("HTTP 429"), line);
        }
    }

    @Test
    void aReplayedLineThatIsNotJsonIsDeadLetteredAsItIsWithoutRetries() throws Exception {
        awaitBaseline();
        try (LogCapture log = LogCapture.open()) {
            Files.createDirectories(webhookReplay());
            Files.writeString(webhookReplay().resolve("00000000000000000001-broken.jsonl"), "{\"id\": not json\n");
            await().atMost(EVENT_WAIT).until(() -> deadLetterLines().size() == 1);
            assertEquals(List.of("{\"id\": not json"), deadLetterLines(), "kept byte for byte, for a person to look at");
            assertTrue(receiver.requests().isEmpty());
            List<String> errors = log.lines(Level.ERROR).stream().filter(l -> l.startsWith("Webhook gave up")).toList();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).contains("malformed JSON") && errors.get(0).contains("did not parse"), errors.get(0));
            assertTrue(log.lines(Level.WARN).stream().noneMatch(l -> l.contains("retrying")), "not retried");
        }
    }

    /** The event is the only dead letter, as the exact JSON the log held; one ERROR line names it. */
    private String assertDeadLettered(JsonNode event, LogCapture log, String reason) {
        String id = event.path("id").asText();
        List<String> dead = deadLetterLines();
        assertEquals(1, dead.size(), "one dead letter: " + dead);
        EventSchema.assertValid(dead.get(0));
        try {
            assertEquals(event, Json.MAPPER.readTree(dead.get(0)), "the dead letter is the event as the file sink wrote it");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertTrue(fileEventLines().contains(dead.get(0)), "byte for byte the JSON line every sink got");
        List<String> errors = log.lines(Level.ERROR).stream().filter(l -> l.contains(id)).toList();
        assertEquals(1, errors.size(), "one ERROR line names " + id + ": " + log.lines(Level.ERROR));
        assertTrue(errors.get(0).contains(reason), errors.get(0));
        assertTrue(errors.get(0).contains("dead-letter/webhook"), "says where the event went: " + errors.get(0));
        assertTrue(!log.all().contains(secret.substring("whsec_".length())), "the secret is never logged");
        return errors.get(0);
    }

    /** What an operator does: move the dead-letter files into the webhook replay folder. */
    private void replayDeadLetters() throws Exception {
        List<Path> files = jsonlFiles(deadLetterDir());
        assertEquals(1, files.size());
        Files.createDirectories(webhookReplay());
        for (Path f : files) {
            Files.move(f, webhookReplay().resolve(f.getFileName()));
        }
    }
}
