package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.model.LineState;
import pbx.presence.model.PresenceEvent;
import pbx.presence.model.Registration;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The headers sink filters read, from the event's JSON without binding the whole event; the whole
 * event, for formatters, bound once per body; text that is not an event fails the step.
 */
class EventHeadersProcessorTest {

    private static final Instant T = Instant.parse("2026-12-01T08:00:00Z");

    private static Exchange exchange(String body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        return exchange;
    }

    private static ExtensionPresence agent(LineState line) {
        return ExtensionPresence.builder("hq", "3cx-callcontrol", "201").name("Ann").registration(Registration.REGISTERED)
                .line(line).activeCalls(line == LineState.TALKING ? 1 : 0).vendorStatus("nested", java.util.Map.of("availability", "x"))
                .build();
    }

    @Test
    void aChangeGivesEveryHeaderTheBoundEventWouldGive() throws Exception {
        PresenceEvent changed = PresenceEvent.extensionEvent(EventType.CHANGED, "hq", "201", 7, T, agent(LineState.IDLE),
                agent(LineState.TALKING), List.of("line", "activeCalls"));
        Exchange exchange = exchange("  " + Json.MAPPER.writeValueAsString(changed) + "\n");
        new EventHeadersProcessor().process(exchange);
        var m = exchange.getMessage();
        assertEquals("hq:201:7", m.getHeader(Headers.EVENT_ID));
        assertEquals("hq", m.getHeader(Headers.SOURCE));
        assertEquals("pbx.presence.changed", m.getHeader(Headers.EVENT_TYPE));
        assertEquals("201", m.getHeader(Headers.EXTENSION));
        assertEquals("line,activeCalls", m.getHeader(Headers.CHANGED));
        assertEquals(changed.current().availability().name(), m.getHeader(Headers.AVAILABILITY),
                "the record's own availability, not the one inside its raw vendorStatus");
        assertEquals(Json.MAPPER.writeValueAsString(changed), m.getBody(String.class), "the exact JSON, stripped");

        PresenceEvent removed = PresenceEvent.extensionEvent(EventType.REMOVED, "hq", "201", 8, T, agent(LineState.IDLE), null, List.of());
        exchange.getMessage().setBody(Json.MAPPER.writeValueAsString(removed));
        new EventHeadersProcessor().process(exchange);
        assertEquals(removed.current().availability().name(), m.getHeader(Headers.AVAILABILITY), "a removal: the last known one");
        assertEquals("", m.getHeader(Headers.CHANGED));
    }

    @Test
    void aSourceEventHasNoExtensionAndNoAvailability() throws Exception {
        Exchange exchange = exchange(Json.MAPPER.writeValueAsString(PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, "hq", 3, T, 3, "timeout")));
        EventHeadersProcessor.tryHeaders(exchange);
        assertEquals("hq:-source:3", exchange.getMessage().getHeader(Headers.EVENT_ID));
        assertEquals("", exchange.getMessage().getHeader(Headers.EXTENSION));
        assertNull(exchange.getMessage().getHeader(Headers.AVAILABILITY));
    }

    @Test
    void theWholeEventIsBoundOncePerBody() throws Exception {
        String down = Json.MAPPER.writeValueAsString(PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, "hq", 3, T, 3, "timeout"));
        Exchange exchange = exchange(down);
        EventHeadersProcessor.tryHeaders(exchange);
        exchange.getMessage().removeHeaders("Pbx*"); // a route that drops the headers and asks for them again
        new EventHeadersProcessor().process(exchange);
        assertEquals("hq:-source:3", exchange.getMessage().getHeader(Headers.EVENT_ID), "set again from what was read");
        PresenceEvent bound = EventHeadersProcessor.event(exchange);
        assertEquals("timeout", bound.data().error());
        assertSame(bound, EventHeadersProcessor.event(exchange), "the same text: bound once");

        String up = Json.MAPPER.writeValueAsString(PresenceEvent.sourceEvent(EventType.SOURCE_UP, "hq", 4, T, 0, null));
        exchange.getMessage().setBody(up);
        new EventHeadersProcessor().process(exchange);
        assertEquals("hq:-source:4", exchange.getMessage().getHeader(Headers.EVENT_ID), "another body: read again");
        assertEquals(EventType.SOURCE_UP.wire(), exchange.getMessage().getHeader(Headers.EVENT_TYPE));
        PresenceEvent again = EventHeadersProcessor.event(exchange);
        assertNotSame(bound, again);
        assertEquals(4, again.sequence());
    }

    @Test
    void textThatIsNotAnEventFailsTheStepAndTryHeadersLeavesItAlone() throws Exception {
        String good = Json.MAPPER.writeValueAsString(PresenceEvent.sourceEvent(EventType.SOURCE_UP, "hq", 4, T, 0, null));
        for (String bad : List.of(good.substring(0, good.length() / 2), good + " {}", "[1, 2]", "{\"id\": \"x\", \"type\": \"t\"}",
                "{\"id\": 5, \"type\": \"t\", \"source\": \"/pbx-presence/sources/hq\"}", "not json at all")) {
            Exchange exchange = exchange(bad);
            assertThrows(IOException.class, () -> new EventHeadersProcessor().process(exchange), bad);
            EventHeadersProcessor.tryHeaders(exchange);
            assertNull(exchange.getMessage().getHeader(Headers.EVENT_ID), bad);
            assertTrue(exchange.getMessage().getBody(String.class).equals(bad), "the body is left as it was");
        }
    }
}
