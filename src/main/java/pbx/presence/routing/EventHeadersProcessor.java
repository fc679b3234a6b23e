package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

/**
 * Reads one event (its JSON, from the event log or a replayed dead letter) and exposes what sink filters need as
 * headers ({@link Headers}): type, extension, changed fields, availability. The body stays the
 * exact JSON text, so every sink delivers the same bytes; the parsed event is kept in the
 * exchange property {@code pbxEvent} for formatters.
 */
public final class EventHeadersProcessor implements Processor {

    public static final String EVENT_PROPERTY = "pbxEvent";
    /** The JSON text {@link #EVENT_PROPERTY} was parsed from: the same body is not parsed twice. */
    private static final String PARSED_FROM = "pbxEventParsedFrom";

    @Override
    public void process(Exchange exchange) throws Exception {
        String json = exchange.getMessage().getMandatoryBody(String.class).strip();
        PresenceEvent event = exchange.getProperty(EVENT_PROPERTY, PresenceEvent.class);
        if (event == null || !json.equals(exchange.getProperty(PARSED_FROM, String.class))) {
            event = Json.MAPPER.readValue(json, PresenceEvent.class);
        }
        apply(exchange, json, event);
    }

    /**
     * Sets the headers when the body parses; leaves the exchange as it is otherwise (the route's
     * own {@code eventHeaders} step then fails it, and its error handler dead-letters it).
     */
    public static void tryHeaders(Exchange exchange) {
        String json = exchange.getMessage().getBody(String.class);
        if (json == null) {
            return;
        }
        try {
            apply(exchange, json.strip(), Json.MAPPER.readValue(json.strip(), PresenceEvent.class));
        } catch (java.io.IOException | RuntimeException e) {
            // left to the route
        }
    }

    private static void apply(Exchange exchange, String json, PresenceEvent event) {
        var m = exchange.getMessage();
        m.setBody(json);
        m.setHeader(Headers.EVENT_ID, event.id());
        m.setHeader(Headers.SOURCE, event.sourceId());
        m.setHeader(Headers.EVENT_TYPE, event.type());
        m.setHeader(Headers.EXTENSION, event.subject() == null ? "" : event.subject());
        m.setHeader(Headers.CHANGED, event.data().changed() == null ? "" : String.join(",", event.data().changed()));
        ExtensionPresence current = event.subject() == null ? null : event.current();
        m.setHeader(Headers.AVAILABILITY, current == null ? null : current.availability().name());
        exchange.setProperty(EVENT_PROPERTY, event);
        exchange.setProperty(PARSED_FROM, json);
    }
}
