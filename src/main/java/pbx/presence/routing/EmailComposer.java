package pbx.presence.routing;

import org.apache.camel.Exchange;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one event, or a digest window's list of event JSON lines, into a mail for camel-mail:
 * HTML body with a plain-text alternative, subject, from and to.
 */
public final class EmailComposer {

    private final EventMailFormatter formatter;
    private final String from;
    private final String to;

    public EmailComposer(EventMailFormatter formatter, String from, String to) {
        this.formatter = formatter;
        this.from = from;
        this.to = to;
    }

    /** One mail for one event (the exchange carries the {@code pbxEvent} property). */
    public void single(Exchange exchange) {
        PresenceEvent e = exchange.getProperty(EventHeadersProcessor.EVENT_PROPERTY, PresenceEvent.class);
        compose(exchange, formatter.subject(e), formatter.text(e), formatter.html(e));
    }

    /** One mail for a digest window: the body is the aggregated list of event JSON lines. */
    public void digest(Exchange exchange) throws Exception {
        List<?> lines = exchange.getMessage().getMandatoryBody(List.class);
        List<PresenceEvent> events = new ArrayList<>(lines.size());
        for (Object line : lines) {
            events.add(Json.MAPPER.readValue(line.toString(), PresenceEvent.class));
        }
        compose(exchange, formatter.digestSubject(events), formatter.digestText(events), formatter.digestHtml(events));
    }

    private void compose(Exchange exchange, String subject, String text, String html) {
        var m = exchange.getMessage();
        m.getHeaders().clear();
        m.setHeader("Subject", subject);
        m.setHeader("From", from);
        m.setHeader("To", to);
        m.setHeader("Content-Type", "text/html; charset=UTF-8");
        m.setHeader("CamelMailAlternativeBody", text);
        m.setBody(html);
    }
}
