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
import pbx.presence.delivery.MailTemplates;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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

    static final String HTML_CONTENT_TYPE = "text/html; charset=UTF-8";

    private final MailTemplates templates;
    private final String from;
    private final String to;

    public EmailComposer(MailTemplates templates, String from, String to) {
        this.templates = templates;
        this.from = from;
        this.to = to;
    }

    /** One mail for one event (the exchange carries the {@code pbxEvent} property). */
    public void single(Exchange exchange) {
        PresenceEvent e = exchange.getProperty(EventHeadersProcessor.EVENT_PROPERTY, PresenceEvent.class);
        compose(exchange, templates.single(e));
    }

    /** One mail for a digest window: the body is the aggregated list of event JSON lines, in arrival order. */
    public void digest(Exchange exchange) throws Exception {
        List<?> lines = exchange.getMessage().getMandatoryBody(List.class);
        List<PresenceEvent> events = new ArrayList<>(lines.size());
        for (Object line : lines) {
            events.add(Json.MAPPER.readValue(line.toString(), PresenceEvent.class));
        }
        compose(exchange, templates.digest(events));
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

    private void compose(Exchange exchange, MailTemplates.Mail mail) {
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
