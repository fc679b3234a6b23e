package pbx.presence.routing;

import pbx.presence.model.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two webhook sinks and the file sink in one router, through the real routes: the shipped webhook
 * (presence.webhook.*) and a second one added as the README's block of about ten lines in a routes
 * file of its own (another URL, secret and filter). Each receives exactly its events, in log order,
 * signed with its own secret (checked by the test's own Standard Webhooks implementation,
 * {@link WebhookReceiver}); one that is down all along never delays the other; a 410 Gone on one
 * stops that one only.
 */
class TwoWebhooksTest extends WebhookTestSupport {

    /** The shipped webhook's filter: extensions 202 and 204. */
    static final String WEBHOOK_EXTENSIONS = "20[24]";
    /** The second webhook's filter: extensions 203 and 204. */
    static final String CRM_EXTENSIONS = "20[34]";

    static WebhookReceiver crm;
    static String crmSecret;

    @BeforeAll
    static void startCrm() {
        crm = WebhookReceiver.start();
        crmSecret = WebhookReceiver.newSecret();
    }

    @AfterAll
    static void stopCrm() {
        if (crm != null) {
            crm.close();
            crm = null;
        }
    }

    @BeforeEach
    void freshCrm() {
        crm.restart();
        crm.reset();
    }

    @Override
    void webhook(Properties p) {
        p.put("presence.webhook.extensions", WEBHOOK_EXTENSIONS);
        Path routes = dataDir().resolve("routes");
        try {
            Files.createDirectories(routes);
            Files.writeString(routes.resolve("crm.camel.yaml"), """
                    # A second webhook: its own URL, secret and filter (README, "Adding a second webhook").
                    - route:
                        id: sink-webhook-crm
                        routeConfigurationId: webhook-delivery
                        from:
                          uri: presence-events:crm
                          steps:
                            - to:
                                uri: kamelet:presence-webhook-sink
                                parameters:
                                  sink: crm
                                  url: "RAW(%s)"
                                  secret: "RAW(%s)"
                                  extensions: "RAW(%s)"

                    # A second file sink: only pbx.presence.changed events, into their own folder (README).
                    - route:
                        id: sink-file-changes
                        routeConfigurationId: file-delivery
                        from:
                          uri: presence-events:file-changes
                          steps:
                            - to:
                                uri: kamelet:presence-file-sink
                                parameters:
                                  sink: file-changes
                                  directory: "RAW(%s)"
                                  types: 'RAW(pbx\\.presence\\.changed)'
                    """.formatted(crm.url(), crmSecret, CRM_EXTENSIONS, dataDir().resolve("changes").toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.put("camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + routes.toAbsolutePath() + "/*.camel.yaml");
    }

    /** Ids of the file sink's events whose extension matches the filter, in the file's (the log's) order. */
    List<String> fileIdsFor(String extensions) {
        Pattern p = Pattern.compile(extensions);
        return fileEvents().stream()
                .filter(e -> p.matcher(e.path("subject").asText("")).matches())
                .map(e -> e.path("id").asText()).toList();
    }

    void changeSeveral() {
        for (String ext : List.of("202", "203", "204", "202", "203")) {
            if (fileEvents(CC, ext).size() % 2 == 0) {
                callStarts(ext);
            } else {
                callEnds(ext);
            }
        }
    }

    @Test
    void eachWebhookGetsExactlyItsEventsInOrderSignedWithItsOwnSecret() {
        awaitBaseline();
        changeSeveral();
        await().atMost(EVENT_WAIT).untilAsserted(() -> {
            assertEquals(fileIdsFor(WEBHOOK_EXTENSIONS), receiver.deliveredIds(), "the shipped webhook: its filter, log order");
            assertEquals(fileIdsFor(CRM_EXTENSIONS), crm.deliveredIds(), "the second webhook: its filter, log order");
        });
        assertTrue(receiver.deliveredIds().size() >= 3 && crm.deliveredIds().size() >= 3,
                "both got several events: " + receiver.deliveredIds() + " / " + crm.deliveredIds());
        assertFalse(crm.deliveredIds().stream().anyMatch(id -> id.contains(":202:")), "no 202 for the crm");
        assertFalse(receiver.deliveredIds().stream().anyMatch(id -> id.contains(":203:")), "no 203 for the shipped webhook");
        for (WebhookReceiver.Request r : receiver.delivered()) {
            WebhookReceiver.assertValidDelivery(r, secret);
        }
        for (WebhookReceiver.Request r : crm.delivered()) {
            WebhookReceiver.assertValidDelivery(r, crmSecret);
            assertFalse(WebhookReceiver.signedWith(r, WebhookReceiver.v1Signatures(r).get(0), secret),
                    "the crm's events are not signed with the other webhook's secret");
        }
        assertEquals(receiver.deliveredIds().size(), receiver.requests().size(), "one request per event");
        assertEquals(crm.deliveredIds().size(), crm.requests().size(), "one request per event");
        await().atMost(EVENT_WAIT).untilAsserted(() -> assertEquals(
                fileEventLines().stream().filter(l -> l.contains("\"type\":\"pbx.presence.changed\"")).toList(),
                lines(dataDir().resolve("changes")), "a second file sink with its own filter and folder"));
        assertFalse(lines(dataDir().resolve("changes")).isEmpty());
    }

    @Test
    void aWebhookDownForTheWholeTestNeverDelaysTheOther() {
        crm.stop(); // refusing connections from the start to the end
        awaitBaseline();
        changeSeveral(); // each change waits for the file sink: not held up
        await().atMost(EVENT_WAIT).untilAsserted(() ->
                assertEquals(fileIdsFor(WEBHOOK_EXTENSIONS), receiver.deliveredIds(), "the shipped webhook is not held up"));
        assertTrue(crm.requests().isEmpty(), "the crm receiver was down all along");
        List<String> waiting = pending("crm").stream().map(TwoWebhooksTest::id).toList();
        assertTrue(waiting.containsAll(fileIdsFor(CRM_EXTENSIONS)),
                "the crm's events wait after its own position in the log: " + waiting);
        assertTrue(context.getRouteController().getRouteStatus("sink-webhook-crm").isStarted(), "and it keeps trying");
    }

    static String id(String json) {
        try {
            return Json.MAPPER.readTree(json).path("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void goneOnOneWebhookDisablesOnlyThatOne() {
        crm.respond((id, attempt) -> WebhookReceiver.Response.of(410));
        awaitBaseline();
        callStarts("204"); // both filters take 204
        await().atMost(EVENT_WAIT).until(() -> context.getRouteController().getRouteStatus("sink-webhook-crm").isStopped());
        assertEquals(1, crm.requests().size(), "410 is not retried");
        String refused = crm.requests().get(0).id();

        callStarts("202");
        callEnds("204");
        await().atMost(EVENT_WAIT).untilAsserted(() ->
                assertEquals(fileIdsFor(WEBHOOK_EXTENSIONS), receiver.deliveredIds(), "the shipped webhook goes on, in order"));
        assertTrue(receiver.deliveredIds().size() >= 3, "several events after the 410: " + receiver.deliveredIds());
        assertTrue(context.getRouteController().getRouteStatus("sink-webhook").isStarted(), "the shipped webhook is still on");
        assertTrue(context.getRouteController().getRouteStatus("sink-file").isStarted(), "the file sink is still on");
        assertEquals(1, crm.requests().size(), "nothing more was posted to the gone endpoint");
        assertTrue(pending("crm").stream().map(TwoWebhooksTest::id).toList().contains(refused),
                "the event the crm refused waits in the log for a corrected URL");
        assertTrue(lines(dataDir().resolve("dead-letter/crm")).isEmpty(), "nothing dead-lettered");
    }
}
