package pbx.presence.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import org.apache.camel.Exchange;
import pbx.presence.change.PresenceLog;
import pbx.presence.change.PresenceLog.LoggedEvent;
import pbx.presence.change.PresenceLog.StoredExtension;
import pbx.presence.model.Availability;
import pbx.presence.model.EventType;
import pbx.presence.model.Json;
import pbx.presence.model.Reason;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The answers of the read-only presence API ({@code routes/api.camel.yaml}), taken from the store's
 * {@link PresenceLog}. Each method reads the request's query and path parameters from the
 * exchange's headers and leaves a JSON body; a bad request throws {@link ApiProblem}.
 */
public final class PresenceApi {

    static final int DEFAULT_LIMIT = 100;

    private final Supplier<PresenceLog> log;
    private final int maxLimit;
    private final ObjectNode reasonWords;

    public PresenceApi(Supplier<PresenceLog> log, int maxLimit) {
        this.log = log;
        this.maxLimit = maxLimit;
        this.reasonWords = Json.MAPPER.createObjectNode();
        for (Reason r : Reason.values()) {
            reasonWords.put(r.name(), r.text());
        }
    }

    /** {@code GET /api/presence}: every extension's state (filtered) and the log position it reflects. */
    public void presence(Exchange exchange) {
        Predicate<StoredExtension> filter = presenceFilter(exchange);
        PresenceLog.Snapshot snapshot = log.get().snapshot();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("position", snapshot.position());
        ArrayNode items = body.putArray("extensions");
        for (StoredExtension e : snapshot.extensions()) {
            if (filter.test(e)) {
                items.add(item(e));
            }
        }
        body.put("count", items.size());
        body.set("reasonWords", reasonWords);
        json(exchange, body);
    }

    /** {@code GET /api/presence/{source}/{extension}}: one extension, 404 when unknown or removed. */
    public void extension(Exchange exchange) {
        String source = header(exchange, "source");
        String extension = header(exchange, "extension");
        StoredExtension e = log.get().extension(source, extension)
                .orElseThrow(() -> new ApiProblem(404, "No extension '" + extension + "' in source '" + source + "'"));
        json(exchange, item(e));
    }

    /** {@code GET /api/events}: the log after a position, in order, with the position to ask for next. */
    public void events(Exchange exchange) {
        PresenceLog l = log.get();
        String type = header(exchange, "type");
        if (type != null) {
            try {
                EventType.fromWire(type);
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(400, "type must be one of " + java.util.Arrays.stream(EventType.values())
                        .map(EventType::wire).toList() + ", was '" + type + "'");
            }
        }
        long limitAsked = number(exchange, "limit", DEFAULT_LIMIT);
        if (limitAsked < 1 || limitAsked > maxLimit) {
            throw new ApiProblem(400, "limit must be between 1 and " + maxLimit + ", was " + limitAsked);
        }
        int limit = (int) limitAsked;
        String afterText = header(exchange, "after");
        long after = afterText == null ? Math.max(0, l.oldestPosition() - 1) : number(exchange, "after", 0);
        checkRetained(l, after);
        long head = l.headPosition();
        List<LoggedEvent> events = l.eventsAfter(after, limit, header(exchange, "source"), type);
        // events are committed in position order, so a short page means everything up to head was seen
        long next = events.size() == limit ? events.get(events.size() - 1).position()
                : Math.max(events.isEmpty() ? after : events.get(events.size() - 1).position(), Math.max(after, head));
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("events");
        for (LoggedEvent e : events) {
            ObjectNode item = items.addObject();
            item.put("position", e.position());
            item.putRawValue("event", new RawValue(e.json()));
        }
        body.put("next", next);
        body.put("head", Math.max(head, next));
        json(exchange, body);
    }

    /** {@code GET /api/sources}: every source the store knows and how it is doing. */
    public void sources(Exchange exchange) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("sources");
        for (PresenceLog.SourceStatus s : log.get().sources()) {
            ObjectNode n = items.addObject();
            n.put("sourceId", s.sourceId());
            n.put("vendor", s.vendor());
            n.put("state", s.down() ? "down" : "up");
            n.put("lastGoodPoll", s.lastGoodPoll() == null ? null : s.lastGoodPoll().toString());
            n.put("consecutiveFailures", s.consecutiveFailures());
            n.put("extensions", s.extensions());
            // issue 12: whether this router leads the source; null while the router is not clustered
            n.putNull("leader");
        }
        json(exchange, body);
    }

    /** Refuses a position whose following events were pruned: replaying from it would skip events silently. */
    static void checkRetained(PresenceLog l, long after) {
        long oldest = l.oldestPosition();
        if (after < oldest - 1) {
            throw new ApiProblem(410, "Events after position " + after + " are no longer kept (the oldest kept is " + oldest
                    + "): take a new snapshot from /api/presence and replay from its position");
        }
    }

    private static ObjectNode item(StoredExtension e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("sourceId", e.sourceId());
        n.put("extension", e.presence().extension());
        n.put("sequence", e.sequence());
        n.set("presence", Json.MAPPER.valueToTree(e.presence()));
        return n;
    }

    private static Predicate<StoredExtension> presenceFilter(Exchange exchange) {
        String source = header(exchange, "source");
        String availability = header(exchange, "availability");
        String acceptsCalls = header(exchange, "acceptsCalls");
        String q = header(exchange, "q");
        Predicate<StoredExtension> p = e -> true;
        if (source != null) {
            p = p.and(e -> e.sourceId().equals(source));
        }
        if (availability != null) {
            Availability a;
            try {
                a = Availability.valueOf(availability.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiProblem(400, "availability must be one of " + List.of(Availability.values()) + ", was '" + availability + "'");
            }
            p = p.and(e -> e.presence().availability() == a);
        }
        if (acceptsCalls != null) {
            if (!acceptsCalls.equals("true") && !acceptsCalls.equals("false")) {
                throw new ApiProblem(400, "acceptsCalls must be true or false, was '" + acceptsCalls + "'");
            }
            boolean wanted = Boolean.parseBoolean(acceptsCalls);
            p = p.and(e -> e.presence().acceptsCalls() == wanted);
        }
        if (q != null) {
            String needle = q.toLowerCase(Locale.ROOT);
            p = p.and(e -> e.presence().extension().toLowerCase(Locale.ROOT).contains(needle)
                    || e.presence().name() != null && e.presence().name().toLowerCase(Locale.ROOT).contains(needle));
        }
        return p;
    }

    private static String header(Exchange exchange, String name) {
        String v = exchange.getMessage().getHeader(name, String.class);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static long number(Exchange exchange, String name, long def) {
        String v = header(exchange, name);
        if (v == null) {
            return def;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiProblem(400, name + " must be a whole number of 0 or more, was '" + v + "'");
        }
    }

    private static void json(Exchange exchange, ObjectNode body) {
        // request headers (query parameters, Authorization) would otherwise be echoed as response headers
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body.toString());
    }
}
