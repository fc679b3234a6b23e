package pbx.presence.routing;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An SMTP outage: the mail is retried until the server is back, and the file sink goes on meanwhile. */
class EmailOutageTest extends EmailRouterTest {

    @Override
    protected void emailProperties(Properties p) {
        p.put("presence.email.digest-seconds", "0");
        p.put("presence.email.initial-delay-millis", "100");
        p.put("presence.email.max-delay-millis", "400");
        p.put("presence.email.max-redeliveries", "100");
    }

    @Test
    void mailIsRetriedUntilSmtpIsBackWhileTheFileSinkGoesOn() throws Exception {
        awaitBaseline();
        var pbx = demo().pbx();
        try (LogCapture log = LogCapture.open()) {
            greenMail.stop();
            pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
            eventually().until(() -> retryLines(log).size() >= 2);

            // the e-mail sink is stuck on its first event, the file sink is not
            pbx.update("203", e -> e.withPresence(SimulatedExtension.AWAY, SimulatedExtension.USER_AWAY, SimulatedExtension.CHAT_AWAY));
            eventually().until(() -> fileEvents(CC, "203").size() == 1);
            assertFalse(emailOutbox().isEmpty(), "the e-mail sink still holds the undelivered event");

            startGreenMail();
            eventually().until(() -> mails().size() == 2);
            assertEquals(List.of("202 Bob Becker is now BUSY: on a call", "203 Carol Schulz is now AWAY: status away"), subjects(),
                    "both mails, in the order the changes happened");
            // the redelivered mail is still complete (camel-mail removes the alternative-body header after use)
            Mail.of(mails().get(0)).assertAlternativeTextAndHtml();
            Mail.of(mails().get(1)).assertAlternativeTextAndHtml();
            eventually().until(() -> emailOutbox().isEmpty());
            assertTrue(deadLetters().isEmpty(), "nothing was dead-lettered");
            assertTrue(log.lines(Level.ERROR).isEmpty(), "no error while retrying: " + log.lines(Level.ERROR));
        }
    }
}
