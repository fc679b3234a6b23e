package pbx.presence.routing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.LogCapture;
import pbx.presence.change.ChangeDetector;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.metrics.Meters;
import pbx.presence.metrics.SourceMetrics;
import pbx.presence.model.ChatStatus;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Registration;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * presence.log.events-per-poll-max: up to the limit, one INFO line per event; above it, one INFO
 * summary line for the poll (counts per type, examples, duration) and the per-event lines at DEBUG.
 * The real processor, change detector and embedded store; the log as log4j2 writes it.
 */
class PollSummaryLineTest {

    private static final String EVENTS_LOGGER = "pbx.presence.events";
    private static final int LIMIT = 20;

    @TempDir
    Path dir;

    private JdbcEventStore store;
    private CamelContext camel;
    private ChangeDetector detector;
    private PollOutcomeProcessor processor;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        store = Stores.embedded(dir.resolve("presence.db"));
        // emit-added: a new source's first poll emits one added event per extension
        detector = new ChangeDetector(store, 3, true);
        processor = new PollOutcomeProcessor(detector, new EventMailFormatter(), Clock.systemUTC(), LIMIT,
                new SourceMetrics(new Meters(meters)));
        camel = new DefaultCamelContext();
        Configurator.setLevel(EVENTS_LOGGER, Level.DEBUG);
    }

    @AfterEach
    void stop() {
        Configurator.setLevel(EVENTS_LOGGER, Level.INFO);
        store.close();
    }

    @Test
    void upToTheLimitEachEventHasItsOwnInfoLine() throws Exception {
        try (LogCapture logs = LogCapture.open()) {
            poll("small", extensions("small", LIMIT, LineState.IDLE));
            List<String> info = eventLines(logs, Level.INFO, "small");
            assertEquals(LIMIT, info.size(), "one INFO line per event: " + info);
            assertTrue(info.get(0).startsWith("[small] New extension 1000 Agent 1000"), info.get(0));
            assertTrue(info.stream().noneMatch(l -> l.contains("events in one poll")), "no summary line: " + info);
        }
    }

    @Test
    void aboveTheLimitOnePollGivesOneSummaryLineAndTheEventsGoToDebug() throws Exception {
        poll("big", extensions("big", LIMIT + 5, LineState.IDLE));
        try (LogCapture logs = LogCapture.open()) {
            // every extension starts a call, and two are gone: 23 changed, 2 removed in one poll
            poll("big", extensions("big", LIMIT + 3, LineState.TALKING));
            List<String> info = eventLines(logs, Level.INFO, "big");
            assertEquals(1, info.size(), "one INFO line for the whole poll: " + info);
            String summary = info.get(0);
            assertTrue(summary.startsWith("[big] 25 events in one poll of "), summary);
            assertTrue(summary.contains("(23 changed, 2 removed)"), summary);
            assertTrue(summary.contains("e.g. 1000 Agent 1000 is now BUSY"), "names examples: " + summary);
            assertEquals(3, summary.split(" is now | was removed").length - 1, "three examples: " + summary);
            assertEquals(25, eventLines(logs, Level.DEBUG, "big").size(), "every event at DEBUG");
        }
        assertEquals(23, meters.get("pbx.presence.events").tag("source", "big").tag("type", "pbx.presence.changed")
                .counter().count());
        assertEquals(23, meters.get("pbx.presence.source.extensions").tag("source", "big").gauge().value());
    }

    @Test
    void aPollThatLeavesChangesForLaterSaysSoInOneWarnLineAndAGauge() throws Exception {
        poll("flood", extensions("flood", 30, LineState.IDLE));
        detector.maxChangesPerPoll(10);
        try (LogCapture logs = LogCapture.open()) {
            poll("flood", extensions("flood", 30, LineState.TALKING));
            List<String> warn = logs.lines(Level.WARN).stream().filter(l -> l.contains("Source flood:")).toList();
            assertEquals(1, warn.size(), "one WARN line for the poll: " + logs.lines());
            assertTrue(warn.get(0).contains("Source flood: 20 changed extensions left for the next polls (more changed than "
                    + "presence.source.max-changes-per-poll)"), warn.get(0));
            assertEquals(20, meters.get("pbx.presence.source.changes.deferred").tag("source", "flood").gauge().value());
            assertEquals(10, meters.get("pbx.presence.events").tag("source", "flood").tag("type", "pbx.presence.changed")
                    .counter().count(), "ten taken");

            poll("flood", extensions("flood", 30, LineState.TALKING));
            poll("flood", extensions("flood", 30, LineState.TALKING));
            assertEquals(0, meters.get("pbx.presence.source.changes.deferred").tag("source", "flood").gauge().value(), "caught up");
            assertEquals(30, meters.get("pbx.presence.events").tag("source", "flood").tag("type", "pbx.presence.changed")
                    .counter().count(), "every change once");
            assertEquals(2, logs.lines(Level.WARN).stream().filter(l -> l.contains("Source flood:")).count(),
                    "no line once a poll takes everything: " + logs.lines(Level.WARN));
        }
    }

    private void poll(String source, List<ExtensionPresence> snapshot) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Headers.SOURCE, source);
        exchange.getMessage().setBody(snapshot);
        processor.process(exchange);
    }

    private static List<String> eventLines(LogCapture logs, Level level, String source) {
        return logs.lines(level).stream().filter(l -> l.startsWith("[" + source + "] ")).toList();
    }

    private static List<ExtensionPresence> extensions(String source, int n, LineState line) {
        return IntStream.range(0, n).mapToObj(i -> ExtensionPresence.builder(source, "3cx-callcontrol", Integer.toString(1000 + i))
                .name("Agent " + (1000 + i)).registration(Registration.REGISTERED).presence(Presence.AVAILABLE)
                .chat(ChatStatus.ONLINE).line(line).activeCalls(line == LineState.TALKING ? 1 : 0).build()).toList();
    }
}
