package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import pbx.presence.demo.SimulatedCall;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One mail per event (presence.email.digest-seconds=0), through the real YAML routes, to a real SMTP server. */
class EmailSinkTest extends EmailRouterTest {

    @Override
    protected void emailProperties(Properties p) {
        p.put("presence.email.digest-seconds", "0");
    }

    @Test
    void callBecomesOneReadableMultipartMailToEveryRecipient() throws Exception {
        awaitBaseline();
        var pbx = demo().pbx();
        pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));

        eventually().until(() -> mails().size() == 1);
        // no second mail for the same change, at either recipient
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> mails(OPS).size() == 1 && mails(ONCALL).size() == 1);

        Mail mail = Mail.of(mails().get(0));
        assertEquals("202 Bob Becker is now BUSY: on a call", mail.subject());
        assertEquals(List.of(FROM), mail.from());
        assertEquals(List.of(OPS, ONCALL), mail.to());
        mail.assertAlternativeTextAndHtml();
        mail.assertOnlyMailHeaders();

        JsonNode event = lastFileEvent("202");
        String id = event.path("id").asText();
        assertEquals("demo-3cx-callcontrol:202:1", id);
        assertTrue(mail.text().startsWith("202 Bob Becker is now BUSY: on a call\n"), mail.text());
        assertTrue(mail.text().contains("availability: AVAILABLE \u2192 BUSY"), mail.text());
        assertTrue(mail.text().contains(id), mail.text());
        assertTrue(mail.html().contains("<h2"), mail.html());
        assertTrue(mail.html().contains("202 Bob Becker is now BUSY: on a call"), mail.html());
        assertTrue(mail.html().contains(id), mail.html());
    }

    @Test
    void pbxSuppliedTextIsEscapedInHtmlAndSurvivesAsUtf8() throws Exception {
        awaitBaseline();
        String name = "J\u00fcrgen <script>alert('x')</script> & S\u00f6hne";
        var pbx = demo().pbx();
        pbx.update("203", e -> e.withName(name).withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));

        eventually().until(() -> mails().size() == 1);
        Mail mail = Mail.of(mails().get(0));
        assertEquals("203 " + name + " is now BUSY: on a call", mail.subject(), "plain-text subject, UTF-8 round trip");
        mail.assertAlternativeTextAndHtml();
        assertTrue(mail.text().contains(name), mail.text());
        assertFalse(mail.html().contains("<script>"), mail.html());
        assertTrue(mail.html().contains("J\u00fcrgen &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; S\u00f6hne"), mail.html());
    }

    @Test
    void changeThatLeavesAvailabilityAloneIsRecordedByFileSinkButNotMailed() throws Exception {
        awaitBaseline();
        var pbx = demo().pbx();
        pbx.update("202", e -> e.withLoggedInQueues(List.of("800")));
        eventually().until(() -> fileEvents(CC, "202").size() == 1);
        JsonNode queues = lastFileEvent("202");
        assertTrue(queues.at("/data/changed").toString().contains("queues"), queues.toString());
        assertFalse(queues.at("/data/changed").toString().contains("availability"), queues.toString());

        // a later availability change: the sink takes outbox files in order, so once its mail is here the
        // queue change has been through the filter too
        pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        eventually().until(() -> fileEvents(CC, "202").size() == 2);
        eventually().until(() -> !mails().isEmpty());
        assertEquals(List.of("202 Bob Becker is now BUSY: on a call"), subjects(), "only the availability change is mailed");
        assertTrue(Mail.of(mails().get(0)).text().contains("demo-3cx-callcontrol:202:2"), "the mail is about the second event");
        eventually().until(() -> emailOutbox().isEmpty());
    }
}
