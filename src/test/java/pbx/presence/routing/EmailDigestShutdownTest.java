package pbx.presence.routing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import java.util.HashMap;

import pbx.presence.EmbeddedRouter;

import org.junit.jupiter.api.Test;
import pbx.presence.demo.SimulatedCall;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A digest window lives on disk, not in memory: while it is open its events stay after the e-mail
 * sink's position in the log, so a router that stops or dies mid-window mails them after the next start.
 */
class EmailDigestShutdownTest extends EmailRouterTest {

    @Override
    protected void emailProperties(Properties p) {
        p.put("presence.email.digest-seconds", "3600");
    }

    @Test
    void anOpenWindowSurvivesTheRouterAndIsMailedAfterTheNextStart() throws Exception {
        awaitBaseline();
        var pbx = demo().pbx();
        pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        eventually().until(() -> fileEvents(CC, "202").size() == 1);
        String eventId = fileEvents(CC, "202").get(0).path("id").asText();
        eventually().until(() -> !emailOutbox().isEmpty());
        assertTrue(mails().isEmpty(), "the hour-long window is still open");

        context.stop(); // whatever way the router ends, the window's events are on disk
        assertFalse(emailOutbox().isEmpty(), "the open window's events are still after the e-mail sink's position");
        assertTrue(mails().isEmpty());

        Map<String, String> next = new HashMap<>();
        useOverridePropertiesWithPropertiesComponent().forEach((k, v) -> next.put(k.toString(), v.toString()));
        next.put("presence.email.digest-seconds", "1");
        try (EmbeddedRouter again = new EmbeddedRouter(next).start()) {
            eventually().until(() -> mails().size() >= 1);
        }
        String text = String.valueOf(mails().get(0).getContent() instanceof jakarta.mail.Multipart m
                ? m.getBodyPart(0).getContent() : mails().get(0).getContent());
        assertTrue(subject(mails().get(0)).startsWith("PBX presence: "), subjects().toString());
        assertTrue(text.contains(eventId), "the digest after the restart carries the event of the window that was open: " + text);
    }
}
