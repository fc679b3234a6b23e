package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import pbx.presence.model.EventType;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The headers sink filters read, from the event's JSON; a body parsed once is not parsed again, a new body is. */
class EventHeadersProcessorTest {

    private static final Instant T = Instant.parse("2026-12-01T08:00:00Z");

    @Test
    void headersFollowTheBodyAndTheSameBodyIsParsedOnce() throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        String down = Json.MAPPER.writeValueAsString(PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, "hq", 3, T, 3, "timeout"));
        exchange.getMessage().setBody(down);
        EventHeadersProcessor.tryHeaders(exchange);
        Object parsed = exchange.getProperty(EventHeadersProcessor.EVENT_PROPERTY);
        assertEquals("hq:-source:3", exchange.getMessage().getHeader(Headers.EVENT_ID));

        new EventHeadersProcessor().process(exchange);
        assertSame(parsed, exchange.getProperty(EventHeadersProcessor.EVENT_PROPERTY), "the same text: the event parsed before");

        String up = Json.MAPPER.writeValueAsString(PresenceEvent.sourceEvent(EventType.SOURCE_UP, "hq", 4, T, 0, null));
        exchange.getMessage().setBody(up);
        new EventHeadersProcessor().process(exchange);
        assertEquals("hq:-source:4", exchange.getMessage().getHeader(Headers.EVENT_ID), "another body: parsed again");
        assertEquals(EventType.SOURCE_UP.wire(), exchange.getMessage().getHeader(Headers.EVENT_TYPE));
    }
}
