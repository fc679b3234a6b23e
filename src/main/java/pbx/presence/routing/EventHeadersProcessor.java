package pbx.presence.routing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one event (its JSON, from the event log or a replayed dead letter) and exposes what sink filters need as
 * headers ({@link Headers}): id, source, type, extension, changed fields, availability. The body stays the
 * exact JSON text, so every sink delivers the same bytes.
 *
 * <p>The headers come from one pass of Jackson's streaming parser over the whole text, which reads the few
 * fields they need and steps over the rest (the {@code before} and {@code after} records, their raw
 * {@code vendorStatus}): a tenth of what binding the whole event costs, which the file sink paid for
 * every event (issue 13 item 4). Text that is not JSON, or not a presence event (no {@code id},
 * {@code source} or {@code type}), fails the step, so the sink's error handler dead-letters it. A sink
 * that needs the whole event (e-mail) asks {@link #event}, which binds it once per body.
 */
public final class EventHeadersProcessor implements Processor {

    /** Exchange property: the {@link Fields} last read, with the text they were read from (the same body is not read twice). */
    private static final String FIELDS = "pbxEventHeaderFields";
    /** Exchange property: the event {@link #event} bound, with the text it was bound from. */
    private static final String BOUND = "pbxEvent";

    @Override
    public void process(Exchange exchange) throws Exception {
        String json = exchange.getMessage().getMandatoryBody(String.class).strip();
        Fields read = exchange.getProperty(FIELDS, Fields.class);
        apply(exchange, read != null && read.json.equals(json) ? read : Fields.read(json));
    }

    /**
     * Sets the headers when the body reads as an event; leaves the exchange as it is otherwise (the route's
     * own {@code eventHeaders} step then fails it, and its error handler dead-letters it).
     */
    public static void tryHeaders(Exchange exchange) {
        String json = exchange.getMessage().getBody(String.class);
        if (json == null) {
            return;
        }
        try {
            apply(exchange, Fields.read(json.strip()));
        } catch (IOException | RuntimeException e) {
            // left to the route
        }
    }

    /** The whole event of the exchange's body, bound once per body (for formatters that need every field). */
    public static PresenceEvent event(Exchange exchange) throws IOException {
        String json = exchange.getMessage().getBody(String.class);
        json = json == null ? "" : json.strip();
        Bound bound = exchange.getProperty(BOUND, Bound.class);
        if (bound == null || !bound.json().equals(json)) {
            bound = new Bound(json, Json.MAPPER.readValue(json, PresenceEvent.class));
            exchange.setProperty(BOUND, bound);
        }
        return bound.event();
    }

    /** An event bound from its text. */
    private record Bound(String json, PresenceEvent event) {
    }

    private static void apply(Exchange exchange, Fields f) {
        var m = exchange.getMessage();
        m.setBody(f.json);
        m.setHeader(Headers.EVENT_ID, f.id);
        m.setHeader(Headers.SOURCE, f.source.substring(PresenceEvent.SOURCE_PREFIX.length()));
        m.setHeader(Headers.EVENT_TYPE, f.type);
        m.setHeader(Headers.EXTENSION, f.subject == null ? "" : f.subject);
        m.setHeader(Headers.CHANGED, f.changed == null ? "" : String.join(",", f.changed));
        String availability = f.after != null ? f.after : f.before;
        m.setHeader(Headers.AVAILABILITY, f.subject == null ? null : availability);
        exchange.setProperty(FIELDS, f);
    }

    /** What the headers need, read in one streaming pass (field names as {@link PresenceEvent} writes them). */
    private static final class Fields {
        final String json;
        String id;
        String source;
        String type;
        String subject;
        List<String> changed;
        String before;
        String after;

        private Fields(String json) {
            this.json = json;
        }

        static Fields read(String json) throws IOException {
            Fields f = new Fields(json);
            try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
                expect(p.nextToken(), JsonToken.START_OBJECT, "an event is a JSON object");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "id" -> f.id = text(p, value, name);
                        case "source" -> f.source = text(p, value, name);
                        case "type" -> f.type = text(p, value, name);
                        case "subject" -> f.subject = text(p, value, name);
                        case "data" -> f.data(p, value);
                        default -> p.skipChildren();
                    }
                }
                if (p.nextToken() != null) {
                    throw new IOException("not a presence event: more after the event's closing brace");
                }
            }
            if (f.id == null || f.type == null || f.source == null || !f.source.startsWith(PresenceEvent.SOURCE_PREFIX)) {
                throw new IOException("not a presence event: it needs an id, a type and a source " + PresenceEvent.SOURCE_PREFIX + "…");
            }
            return f;
        }

        private void data(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return;
            }
            expect(value, JsonToken.START_OBJECT, "data is an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "before" -> before = availability(p, v);
                    case "after" -> after = availability(p, v);
                    case "changed" -> changed = strings(p, v);
                    default -> p.skipChildren();
                }
            }
        }

        /** The {@code availability} of a record, stepping over the rest of it. */
        private static String availability(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            expect(value, JsonToken.START_OBJECT, "a record is an object");
            String found = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("availability".equals(name)) {
                    found = text(p, v, name);
                } else {
                    p.skipChildren();
                }
            }
            return found;
        }

        private static List<String> strings(JsonParser p, JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            expect(value, JsonToken.START_ARRAY, "changed is an array");
            List<String> out = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                out.add(text(p, t, "changed"));
            }
            return out;
        }

        private static String text(JsonParser p, JsonToken value, String name) throws IOException {
            if (value == JsonToken.VALUE_NULL) {
                return null;
            }
            if (value != JsonToken.VALUE_STRING) {
                throw new IOException("not a presence event: " + name + " is not text");
            }
            return p.getText();
        }

        private static void expect(JsonToken got, JsonToken wanted, String what) throws IOException {
            if (got != wanted) {
                throw new IOException("not a presence event: " + what);
            }
        }
    }
}
