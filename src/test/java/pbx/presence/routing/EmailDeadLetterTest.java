package pbx.presence.routing;

import pbx.presence.RouterTestSupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.demo.SimulatedCall;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries exhausted: the whole mail is saved as an .eml in the dead-letter folder and an ERROR names it. */
class EmailDeadLetterTest extends EmailRouterTest {

    private static final String SUBJECT = "202 Bob Becker is now BUSY: on a call";

    @Override
    protected void emailProperties(Properties p) {
        p.put("presence.email.url", "smtp://127.0.0.1:" + closedPort());
        p.put("presence.email.digest-seconds", "0");
        p.put("presence.email.initial-delay-millis", "50");
        p.put("presence.email.max-delay-millis", "100");
        p.put("presence.email.max-redeliveries", "2");
    }

    @Test
    void exhaustedMailIsSavedAsEmlAndLoggedAsError() throws Exception {
        awaitBaseline();
        var pbx = demo().pbx();
        try (LogCapture log = LogCapture.open()) {
            pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
            eventually().until(() -> deadLetters().size() == 1);
            eventually().until(() -> emailOutbox().isEmpty());

            Path saved = deadLetters().get(0);
            Mail mail = Mail.of(readEml(saved));
            assertEquals(SUBJECT, mail.subject());
            assertEquals(List.of(FROM), mail.from());
            assertEquals(List.of(OPS, ONCALL), mail.to());
            mail.assertAlternativeTextAndHtml();
            assertTrue(mail.text().contains("demo-3cx-callcontrol:202:1"), mail.text());
            assertTrue(mail.html().contains("demo-3cx-callcontrol:202:1"), mail.html());

            List<String> errors = log.lines(Level.ERROR);
            assertEquals(1, errors.size(), "one ERROR line: " + errors);
            assertTrue(errors.get(0).contains("'" + SUBJECT + "'"), errors.get(0));
            assertTrue(errors.get(0).contains(saved.getFileName().toString()), errors.get(0));
            // the first attempt and presence.email.max-redeliveries=2 retries, each logged when it failed
            List<String> retries = retryLines(log);
            assertEquals(3, retries.size(), "attempts: " + retries);
            for (int attempt = 0; attempt < 3; attempt++) {
                assertTrue(retries.get(attempt).contains("On delivery attempt: " + attempt), retries.get(attempt));
            }
        }
        assertTrue(mails().isEmpty());
    }

    private static int closedPort() {
        return RouterTestSupport.freePort();
    }
}
