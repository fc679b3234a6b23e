package pbx.presence.routing;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 item 1: a receiver that answers 400 for some extensions' events gets those dead-lettered,
 * and every other event, including those committed in the same poll right after a rejected one, is
 * still posted, once, in order. (The file-based release stopped the whole outbox file at the first
 * 4xx and deleted it: 14 events of other extensions were never posted and nothing was logged.)
 */
class WebhookRejectionTest extends WebhookTestSupport {

    private static boolean rejected(String id) {
        return id.contains(":203:") || id.contains(":205:");
    }

    @Test
    void aRejectedEventNeverDropsTheOthers() {
        receiver.respond((id, attempt) -> rejected(id) ? WebhookReceiver.Response.of(400) : WebhookReceiver.Response.OK);
        awaitBaseline();
        try (LogCapture log = LogCapture.open()) {
            var pbx = demo().pbx();
            for (int round = 0; round < 2; round++) {
                int before = fileEvents(CC, "206").size();
                // six changes at once: one poll commits them together, rejected ones among the others
                for (String ext : List.of("201", "202", "203", "204", "205", "206")) {
                    if (round == 0) {
                        pbx.update(ext, e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123")));
                    } else {
                        pbx.update(ext, SimulatedExtension::withNoCalls);
                    }
                }
                await().atMost(EVENT_WAIT).until(() -> fileEvents(CC, "206").size() > before);
            }
            // the second demo source reports the same changes a poll later: compare once both settled
            await().atMost(EVENT_WAIT).untilAsserted(() -> {
                List<String> written = fileEventIds();
                List<String> delivered = written.stream().filter(id -> !rejected(id)).toList();
                assertEquals(byExtension(delivered), byExtension(receiver.deliveredIds()),
                        "every event the receiver did not reject, in per-extension order");
                assertEquals(new HashSet<>(written.stream().filter(WebhookRejectionTest::rejected).toList()), deadLetterIds(),
                        "exactly the rejected events are dead-lettered");
            });
            List<String> expectedRejected = fileEventIds().stream().filter(WebhookRejectionTest::rejected).toList();
            assertTrue(expectedRejected.size() >= 4 && receiver.deliveredIds().size() >= 8, "both kinds happened: " + fileEventIds());
            assertEquals(receiver.deliveredIds().size(), receiver.delivered().size(), "each delivered once");
            for (String id : expectedRejected) {
                assertEquals(1, receiver.attempts(id).size(), "a 400 is not retried: " + id);
            }
            List<String> errors = new ArrayList<>(log.lines(Level.ERROR).stream().filter(l -> l.startsWith("Webhook gave up")).toList());
            assertEquals(expectedRejected.size(), errors.size(), "one ERROR per rejected event: " + errors);
        }
    }

    private Set<String> deadLetterIds() {
        Set<String> ids = new HashSet<>();
        for (String line : deadLetterLines()) {
            ids.add(line.replaceFirst("^.*?\"id\":\"([^\"]+)\".*$", "$1"));
        }
        return ids;
    }
}
