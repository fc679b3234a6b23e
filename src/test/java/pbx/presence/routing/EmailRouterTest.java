package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.logging.log4j.Level;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import pbx.presence.LogCapture;
import pbx.presence.RouterTestSupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Base of the e-mail sink tests (abstract: JUnit runs only its subclasses): the real router with the
 * e-mail sink pointed at a GreenMail SMTP server in this JVM, on a port chosen before Camel starts
 * (Camel's test support reads {@link #configure} from its constructor, so the port lives in a static
 * field set in {@code @BeforeAll}). Mails go to two recipients in two domains, so each mailbox's copy
 * can be counted separately.
 */
abstract class EmailRouterTest extends RouterTestSupport {

    static final String CC = "demo-3cx-callcontrol";
    static final String FROM = "PBX Presence <pbx-presence@example.com>";
    static final String OPS = "ops@example.com";
    static final String ONCALL = "oncall@example.net";

    /** Headers a mail may carry: what camel-mail and JavaMail set, plus what GreenMail adds on receipt. */
    static final List<String> ALLOWED_HEADERS = List.of("Return-Path", "Received", "Date", "From", "To", "Message-ID",
            "Subject", "MIME-Version", "Content-Type", "Content-Transfer-Encoding");

    static int smtpPort;
    static GreenMail greenMail;

    @BeforeAll
    static void startSmtp() throws IOException {
        smtpPort = RouterTestSupport.freePort();
        startGreenMail();
    }

    @AfterAll
    static void stopSmtp() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    /** (Re)starts GreenMail on {@link #smtpPort}: a new instance, empty mailboxes. */
    static void startGreenMail() {
        greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        if (greenMail != null && greenMail.isRunning()) {
            greenMail.purgeEmailFromAllMailboxes();
        }
    }

    @Override
    protected void configure(Properties p) {
        p.put("presence.email.url", "smtp://127.0.0.1:" + smtpPort);
        p.put("presence.email.from", FROM);
        p.put("presence.email.to", OPS + ", " + ONCALL);
        // both demo sources poll the same simulated PBX and would report (and mail) every change twice;
        // mail only the Call Control source's events, as a router with one PBX account would
        p.put("presence.email.sources", CC);
        emailProperties(p);
    }

    /** Per-class e-mail settings (digest window, retries …). */
    protected abstract void emailProperties(Properties p);

    static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
    }

    /** Waits for the first (silent baseline) poll of the demo source. */
    void awaitBaseline() {
        eventually().until(() -> baselineRecorded(CC));
    }

    /** Mails the first recipient received so far, in arrival order. */
    static List<MimeMessage> mails() {
        return mails(OPS);
    }

    static List<MimeMessage> mails(String recipient) {
        if (greenMail == null || !greenMail.isRunning()) {
            return List.of();
        }
        // one copy per mailbox: GreenMail's getReceivedMessagesForDomain would return every recipient's copy
        return greenMail.findReceivedMessages(user -> user.getEmail().equalsIgnoreCase(recipient), m -> true).toList();
    }

    static List<String> subjects() {
        return mails().stream().map(EmailRouterTest::subject).toList();
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Events after the e-mail sink's position in the log: not taken (mailed or dead-lettered) yet. */
    List<String> emailOutbox() {
        return pending("email");
    }

    List<Path> deadLetters() {
        return list(dataDir().resolve("dead-letter").resolve("email"), ".eml");
    }

    static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MimeMessage readEml(Path file) throws IOException, MessagingException {
        try (InputStream in = Files.newInputStream(file)) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    /** Event ids the file sink wrote for the demo source, in order. */
    List<String> fileEventIds() {
        return fileEvents().stream().map(e -> e.path("id").asText()).toList();
    }

    /**
     * Distinct camel retry lines ("On delivery attempt: N") so far. LogCapture attaches to the root and to
     * every configured logger, so a line from org.apache.camel.* is captured twice: count it once.
     */
    static List<String> retryLines(LogCapture log) {
        return log.lines(Level.WARN).stream().filter(l -> l.contains("On delivery attempt")).distinct().toList();
    }

    JsonNode lastFileEvent(String extension) {
        List<JsonNode> events = fileEvents(CC, extension);
        return events.get(events.size() - 1);
    }

    /** A received or saved mail, taken apart with jakarta.mail. */
    record Mail(String subject, List<String> from, List<String> to, String contentType, List<String> partTypes,
                String text, String html, List<String> headerNames) {

        static Mail of(MimeMessage m) throws MessagingException, IOException {
            List<String> partTypes = new ArrayList<>();
            String text = null;
            String html = null;
            Object content = m.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    Part part = mp.getBodyPart(i);
                    partTypes.add(part.getContentType());
                    if (part.isMimeType("text/plain")) {
                        text = (String) part.getContent();
                    } else if (part.isMimeType("text/html")) {
                        html = (String) part.getContent();
                    }
                }
            }
            List<String> headers = new ArrayList<>();
            for (Header h : Collections.list(m.getAllHeaders())) {
                headers.add(h.getName());
            }
            // text travels in SMTP's canonical CRLF form; compare with the composed LF text
            return new Mail(m.getSubject(), addresses(m.getFrom()), addresses(m.getRecipients(Message.RecipientType.TO)),
                    m.getContentType(), partTypes, lf(text), lf(html), headers);
        }

        private static String lf(String s) {
            return s == null ? null : s.replace("\r\n", "\n");
        }

        private static List<String> addresses(Address[] addresses) {
            if (addresses == null) {
                return List.of();
            }
            return Arrays.stream(addresses).map(a -> ((InternetAddress) a).toUnicodeString()).toList();
        }

        /** multipart/alternative with a UTF-8 text/plain part first and a UTF-8 text/html part last (RFC 2046 order). */
        void assertAlternativeTextAndHtml() {
            assertTrue(contentType.toLowerCase().startsWith("multipart/alternative"), "content type " + contentType);
            assertTrue(partTypes.size() == 2, "two parts: " + partTypes);
            assertTrue(partTypes.get(0).toLowerCase().startsWith("text/plain"), "first part " + partTypes);
            assertTrue(partTypes.get(0).toLowerCase().contains("charset=utf-8"), "first part " + partTypes);
            assertTrue(partTypes.get(1).toLowerCase().startsWith("text/html"), "second part " + partTypes);
            assertTrue(partTypes.get(1).toLowerCase().contains("charset=utf-8"), "second part " + partTypes);
        }

        /** Only ordinary mail headers: no Camel, Pbx*, file or content-type helper headers leak into the mail. */
        void assertOnlyMailHeaders() {
            for (String name : headerNames) {
                assertTrue(ALLOWED_HEADERS.stream().anyMatch(name::equalsIgnoreCase), "unexpected mail header " + name + " in " + headerNames);
            }
        }
    }
}
