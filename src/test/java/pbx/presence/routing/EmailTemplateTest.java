package pbx.presence.routing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pbx.presence.demo.SimulatedCall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator's template folder (presence.email.template-directory) replaces the shipped subject and
 * HTML templates, while the text part still comes from the shipped default; a PBX name carrying HTML
 * and a CRLF header injection stays inert in every part. Real routes, real SMTP server.
 */
class EmailTemplateTest extends EmailRouterTest {

    private static final String VICTIM = "victim@example.org";
    private static final String NAME = "Eve <script>alert('x')</script>\r\nBcc: " + VICTIM;
    private static Path templates;

    @BeforeAll
    static void writeTemplates() throws IOException {
        templates = Files.createTempDirectory("pbx-templates");
        Files.writeString(templates.resolve("email-subject.mustache"), "[{{source}}] {{label}}\nist jetzt {{availability}}\n");
        Files.writeString(templates.resolve("email-html.mustache"), """
                <!DOCTYPE html>
                <html><head><title>{{headline}}</title></head>
                <body><p class="operator">{{label}} ist jetzt {{availability}}</p><p>{{id}}</p></body></html>
                """);
    }

    @AfterAll
    static void removeTemplates() throws IOException {
        try (Stream<Path> files = Files.walk(templates)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Override
    protected void emailProperties(Properties p) {
        p.put("presence.email.digest-seconds", "0");
        p.put("presence.email.template-directory", templates.toString());
    }

    @Test
    void overrideChangesSubjectAndBodyAndPbxTextStaysInert() throws Exception {
        awaitBaseline();
        var pbx = demo().pbx();
        pbx.update("203", e -> e.withName(NAME).withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));

        eventually().until(() -> !mails().isEmpty());
        Mail mail = Mail.of(mails().get(0));
        String oneLineName = "Eve <script>alert('x')</script> Bcc: " + VICTIM;
        // the operator's subject template, its line break and the name's CRLF both made one line
        assertEquals("[" + CC + "] 203 " + oneLineName + " ist jetzt BUSY", mail.subject());
        // the CRLF did not add a header or a recipient
        mail.assertOnlyMailHeaders();
        assertEquals(List.of(OPS, ONCALL), mail.to());
        assertTrue(mails(VICTIM).isEmpty(), "no copy to the address injected through the name");
        mail.assertAlternativeTextAndHtml();

        // the operator's HTML, with the name escaped
        assertTrue(mail.html().contains("<p class=\"operator\">203 Eve &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Bcc: "
                + VICTIM + " ist jetzt BUSY</p>"), mail.html());
        assertFalse(mail.html().contains("<script"), mail.html());
        assertFalse(mail.html().contains("<h2"), "the shipped HTML template is not used: " + mail.html());

        // no text template in the folder: the shipped one, with the name on one line
        assertTrue(mail.text().startsWith("203 " + oneLineName + " is now BUSY: on a call\n"), mail.text());
        assertTrue(mail.text().contains("What changed:\n"), mail.text());
        assertFalse(mail.text().contains("\nBcc:"), mail.text());
        assertTrue(mail.text().contains(lastFileEvent("203").path("id").asText()), mail.text());
    }
}
