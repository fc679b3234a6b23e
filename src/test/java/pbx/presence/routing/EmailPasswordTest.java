package pbx.presence.routing;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.demo.SimulatedCall;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SMTP password full of URI syntax ({@code & + % #}) given as presence.email.password, not in the
 * URL: the router logs in with it (the SMTP server knows only that password), the mail goes out, and
 * no piece of the password appears in any log line.
 */
class EmailPasswordTest extends EmailRouterTest {

    private static final String USER = "alerts";
    private static final String PASSWORD = "Sm7p&ss+w%rd#1x";
    /** GreenMail logs each SMTP login attempt at DEBUG; the line proves the router authenticated. */
    private static final String USER_MANAGER_LOGGER = "com.icegreen.greenmail.user.UserManager";
    private static LogCapture logs;

    @BeforeAll
    static void smtpUserAndLogs() {
        greenMail.setUser(USER + "@example.com", USER, PASSWORD);
        Configurator.setLevel(USER_MANAGER_LOGGER, Level.DEBUG);
        logs = LogCapture.open();
    }

    @AfterAll
    static void closeLogs() {
        logs.close();
        Configurator.setLevel(USER_MANAGER_LOGGER, Level.INFO);
    }

    @Override
    protected void emailProperties(Properties p) {
        p.put("presence.email.url", "smtp://127.0.0.1:" + smtpPort + "?username=" + USER);
        p.put("presence.email.password", PASSWORD);
        p.put("presence.email.digest-seconds", "0");
    }

    @Test
    void passwordWithUriSyntaxLogsInAndIsNeverLogged() throws Exception {
        // the server really checks the password: a wrong one is refused, so a mangled one could not send
        Properties session = new Properties();
        session.put("mail.smtp.host", "127.0.0.1");
        session.put("mail.smtp.port", Integer.toString(smtpPort));
        session.put("mail.smtp.auth", "true");
        try (Transport t = Session.getInstance(session).getTransport("smtp")) {
            assertThrows(AuthenticationFailedException.class, () -> t.connect(USER, "Sm7p"));
        }

        awaitBaseline();
        var pbx = demo().pbx();
        pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        eventually().until(() -> mails().size() == 1);
        assertEquals("202 Bob Becker is now BUSY: on a call", subject(mails().get(0)));
        assertTrue(logs.all().contains("Authenticating user " + USER), "the router logged in to send");

        String all = logs.all();
        assertTrue(all.contains("Sink e-mail: sends to"), "start-up lines were captured too");
        for (int i = 0; i + 5 <= PASSWORD.length(); i++) {
            String piece = PASSWORD.substring(i, i + 5);
            assertFalse(all.contains(piece), "'" + piece + "' of the password is in the log: " + excerpt(all, piece));
        }
        assertTrue(deadLetters().isEmpty(), "nothing was dead-lettered");
    }

    private static String excerpt(String text, String piece) {
        int i = text.indexOf(piece);
        return text.substring(Math.max(0, i - 200), Math.min(text.length(), i + 60));
    }
}
