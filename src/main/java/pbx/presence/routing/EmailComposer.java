package pbx.presence.routing;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.MailConstants;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.delivery.MailTemplates;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Properties;

/**
 * Turns one event, or a digest window's list of event JSON lines, into a mail for camel-mail
 * (rendered by {@link MailTemplates}): an HTML body with a plain-text alternative (multipart/alternative), subject, from and to.
 *
 * <p>camel-mail (4.18) copies every message header whose name does not start with "Camel" into the
 * mail as a mail header, so {@link #single} and {@link #digest} first remove all headers and then set
 * exactly: {@code Subject}, {@code From}, {@code To} (comma-separated), {@code Content-Type} (the HTML
 * part's type and the charset of subject, addresses and text part) and {@code CamelMailAlternativeBody}
 * (the text part; camel-mail builds multipart/alternative when it is present and removes it after use).
 * The composed subject, text and HTML are also kept in exchange properties, which camel-mail never
 * touches, so {@link #deadLetter} can save the whole mail after failed attempts.
 */
public final class EmailComposer {

    /** Exchange property: the composed subject. */
    public static final String SUBJECT_PROPERTY = "pbxMailSubject";
    /** Exchange property: the composed plain-text body. */
    public static final String TEXT_PROPERTY = "pbxMailText";
    /** Exchange property: the composed HTML body. */
    public static final String HTML_PROPERTY = "pbxMailHtml";

    /** Exchange properties: sender and recipients of the composed mail (the dead letter needs them). */
    public static final String FROM_PROPERTY = "pbxMailFrom";
    public static final String TO_PROPERTY = "pbxMailTo";

    static final String HTML_CONTENT_TYPE = "text/html; charset=UTF-8";

    private final MailTemplates templates;
    private final String from;
    private final String to;
    private EventMailFormatter formatter;
    private Path folder;
    private final Map<Path, MailTemplates> otherFolders = new ConcurrentHashMap<>();

    public EmailComposer(MailTemplates templates, String from, String to) {
        this.templates = templates;
        this.from = from;
        this.to = to;
    }

    /** Exchange property: the template folder of the sink the mail is for (set by the kamelet). */
    public static final String TEMPLATES_PROPERTY = "pbxMailTemplates";

    /**
     * A composer that also serves other {@code presence-email-sink} instances: each sets its sender,
     * recipients and template folder as the exchange properties {@link #FROM_PROPERTY},
     * {@link #TO_PROPERTY} and {@link #TEMPLATES_PROPERTY}; another folder's templates are loaded once.
     */
    public EmailComposer(EventMailFormatter formatter, Path folder, MailTemplates templates, String from, String to) {
        this(templates, from, to);
        this.formatter = formatter;
        this.folder = folder;
    }

    /** One mail for one event (the body). */
    public void single(Exchange exchange) throws java.io.IOException {
        PresenceEvent e = EventHeadersProcessor.event(exchange);
        compose(exchange, templates(exchange).single(e));
    }

    /** One mail for a digest window: the body is the aggregated list of event JSON lines, in arrival order. */
    public void digest(Exchange exchange) throws Exception {
        List<?> lines = exchange.getMessage().getMandatoryBody(List.class);
        List<PresenceEvent> events = new ArrayList<>(lines.size());
        for (Object line : lines) {
            events.add(Json.MAPPER.readValue(line.toString(), PresenceEvent.class));
        }
        compose(exchange, templates(exchange).digest(events));
    }

    /**
     * Replaces the body with the complete mail (RFC 822, as a mail client's "Save as .eml" writes it)
     * that could not be sent, so an operator can open it or hand it to any SMTP client again.
     */
    public void deadLetter(Exchange exchange) throws MessagingException, IOException {
        String subject = exchange.getProperty(SUBJECT_PROPERTY, String.class);
        String text = exchange.getProperty(TEXT_PROPERTY, String.class);
        String html = exchange.getProperty(HTML_PROPERTY, String.class);
        if (subject == null) {
            // failed before compose: keep what there is (the event JSON) rather than nothing
            subject = "PBX presence: mail not composed";
            text = exchange.getMessage().getBody(String.class);
            html = null;
            exchange.setProperty(SUBJECT_PROPERTY, subject);
        }
        String from = exchange.getProperty(FROM_PROPERTY, this.from, String.class);
        String to = exchange.getProperty(TO_PROPERTY, this.to, String.class);
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties()));
        mail.setFrom(new InternetAddress(from));
        if (to != null && !to.isBlank()) {
            mail.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        }
        mail.setSubject(subject, StandardCharsets.UTF_8.name());
        mail.setSentDate(new Date());
        if (html == null) {
            mail.setText(text == null ? "" : text, StandardCharsets.UTF_8.name());
        } else {
            MimeBodyPart textPart = new MimeBodyPart();
            textPart.setText(text, StandardCharsets.UTF_8.name());
            MimeBodyPart htmlPart = new MimeBodyPart();
            htmlPart.setContent(html, HTML_CONTENT_TYPE);
            mail.setContent(new MimeMultipart("alternative", textPart, htmlPart));
        }
        mail.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        mail.writeTo(out);
        exchange.getMessage().setBody(out.toByteArray());
    }

    private MailTemplates templates(Exchange exchange) {
        String dir = exchange.getProperty(TEMPLATES_PROPERTY, String.class);
        if (dir == null || dir.isBlank() || formatter == null || Path.of(dir.strip()).equals(folder)) {
            return templates;
        }
        Path other = Path.of(dir.strip());
        if (Files.exists(other) && !Files.isDirectory(other)) {
            throw new IllegalArgumentException("presence-email-sink: templateDirectory " + other + " is a file, not a folder of templates");
        }
        return otherFolders.computeIfAbsent(other, f -> new MailTemplates(formatter, f));
    }

    private void compose(Exchange exchange, MailTemplates.Mail mail) {
        String from = exchange.getProperty(FROM_PROPERTY, this.from, String.class);
        String to = exchange.getProperty(TO_PROPERTY, this.to, String.class);
        String subject = mail.subject();
        String text = mail.text();
        String html = mail.html();
        exchange.setProperty(SUBJECT_PROPERTY, subject);
        exchange.setProperty(TEXT_PROPERTY, text);
        exchange.setProperty(HTML_PROPERTY, html);
        var m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader(MailConstants.MAIL_SUBJECT, subject);
        m.setHeader(MailConstants.MAIL_FROM, from);
        m.setHeader(MailConstants.MAIL_TO, to);
        // camel-mail reads "contentType" first, then Exchange.CONTENT_TYPE; the latter is replaced by the
        // multipart's own Content-Type, whereas "contentType" would be copied into the mail as a header
        m.setHeader(Exchange.CONTENT_TYPE, HTML_CONTENT_TYPE);
        m.setHeader(MailConstants.MAIL_ALTERNATIVE_BODY, text);
        m.setBody(html);
    }
}
