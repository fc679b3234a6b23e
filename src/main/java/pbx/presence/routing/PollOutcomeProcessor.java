package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.StoreException;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.metrics.SourceMetrics;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.PresenceEvent;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The pipeline's single step per poll: hands a good snapshot to the {@link ChangeDetector}, or
 * records a failed poll with one WARN line naming the source and the problem. Logs one INFO line
 * per event, or, when a poll emits more than {@code presence.log.events-per-poll-max} events, one
 * INFO summary line for the poll (the per-event lines then at DEBUG), so a large PBX cannot flood the
 * log. Records the poll's metrics (README "Metrics"). The events themselves reach the sinks through
 * the event log the detector commits them to; a store that cannot load or commit fails the poll like
 * a vendor error does.
 */
public final class PollOutcomeProcessor implements Processor {

    /** Exchange property a source kamelet may set to the URL it polls, so failures can name its path. */
    public static final String POLLED_URL = "pbxPollUrl";

    /** Events a summary line names as examples. */
    static final int SUMMARY_EXAMPLES = 3;

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.events");
    private static final Logger POLL_LOG = LoggerFactory.getLogger("pbx.presence.poll");

    private final ChangeDetector detector;
    private final EventMailFormatter wording;
    private final Clock clock;
    private final int eventsPerPollMax;
    private final SourceMetrics metrics;

    /**
     * @param eventsPerPollMax above this many events in one poll, one summary line instead of one line per event
     */
    public PollOutcomeProcessor(ChangeDetector detector, EventMailFormatter wording, Clock clock, int eventsPerPollMax,
                                SourceMetrics metrics) {
        if (eventsPerPollMax < 0) {
            throw new IllegalArgumentException("presence.log.events-per-poll-max must be 0 or more, was " + eventsPerPollMax);
        }
        this.detector = detector;
        this.wording = wording;
        this.clock = clock;
        this.eventsPerPollMax = eventsPerPollMax;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String sourceId = exchange.getMessage().getHeader(Headers.SOURCE, String.class);
        if (sourceId == null) {
            throw new IllegalStateException("poll result without a " + Headers.SOURCE + " header: the source route must set it");
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null && Boolean.TRUE.equals(exchange.getMessage().getHeader(Headers.POLL_FAILED, Boolean.class))) {
            failure = new IllegalStateException("poll failed");
        }
        PollEvents events = new PollEvents(sourceId);
        boolean ok = false;
        if (failure != null) {
            events.accept(failed(sourceId, PollProblems.describe(failure, exchange.getProperty(POLLED_URL, String.class)), failure));
        } else {
            @SuppressWarnings("unchecked")
            List<ExtensionPresence> snapshot = exchange.getMessage().getMandatoryBody(List.class);
            try {
                detector.onSnapshot(sourceId, snapshot, clock.instant(), events);
                ok = true;
                metrics.extensions(sourceId, snapshot.size());
                int left = detector.deferredChanges(sourceId);
                metrics.deferred(sourceId, left);
                if (left > 0) {
                    POLL_LOG.warn("Source {}: {} changed extensions left for the next polls (more changed than "
                            + "presence.source.max-changes-per-poll); they keep their last state until a poll takes them, "
                            + "leaving since {}", sourceId, left, detector.deferringSince(sourceId));
                }
            } catch (pbx.presence.connector.PayloadException | StoreException e) {
                events.accept(failed(sourceId, e.getMessage(), e));
            }
        }
        // the exchange was created when the source's timer fired: the poll's start
        Duration took = Duration.ofMillis(Math.max(0, clock.millis() - exchange.getClock().getCreated()));
        metrics.poll(sourceId, took, ok);
        events.finish(took);
        // the events are in the log; the body keeps the count only, not a large poll's events
        exchange.getMessage().setBody(events.count);
    }

    /**
     * A poll's events as the detector commits them, batch by batch: counted per type for the metrics
     * and the summary line, and logged without holding them all. Up to {@code eventsPerPollMax} lines
     * wait for the end of the poll; once a poll has more events than that, every event goes to DEBUG
     * as it comes and the poll ends with one INFO summary line naming the first examples.
     */
    private final class PollEvents implements java.util.function.Consumer<List<PresenceEvent>> {
        private final String sourceId;
        private final Map<EventType, Integer> perType = new TreeMap<>();
        private final List<PresenceEvent> examples = new ArrayList<>(SUMMARY_EXAMPLES);
        private List<PresenceEvent> pending = new ArrayList<>();
        int count;

        PollEvents(String sourceId) {
            this.sourceId = sourceId;
        }

        @Override
        public void accept(List<PresenceEvent> batch) {
            metrics.events(sourceId, batch);
            for (PresenceEvent e : batch) {
                count++;
                perType.merge(EventType.fromWire(e.type()), 1, Integer::sum);
                if (examples.size() < SUMMARY_EXAMPLES) {
                    examples.add(e);
                }
                if (pending != null) {
                    pending.add(e);
                    if (pending.size() > eventsPerPollMax) {
                        pending.forEach(this::debug);
                        pending = null; // a summary poll from here on
                    }
                } else {
                    debug(e);
                }
            }
        }

        private void debug(PresenceEvent e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("[{}] {}", sourceId, line(e));
            }
        }

        void finish(Duration took) {
            if (pending != null) {
                pending.forEach(e -> LOG.info("[{}] {}", sourceId, line(e)));
                return;
            }
            LOG.info("[{}] {} events in one poll of {} ms ({}), e.g. {}; each event is logged at DEBUG (logger pbx.presence.events)",
                    sourceId, count, took.toMillis(), countsPerType(), examples.stream().map(PollOutcomeProcessor.this::line)
                            .collect(Collectors.joining("; ")));
        }

        /** "1200 changed, 30 added, 4 removed": the counts in EventType order. */
        private String countsPerType() {
            return perType.entrySet().stream().map(c -> c.getValue() + " " + shortName(c.getKey())).collect(Collectors.joining(", "));
        }
    }

    private String line(PresenceEvent e) {
        List<String> changed = e.data().changed();
        return wording.headline(e) + (changed == null || changed.isEmpty() ? "" : " (changed: " + String.join(", ", changed) + ")");
    }

    private static String shortName(EventType type) {
        String wire = type.wire();
        return wire.startsWith("pbx.source.") ? wire.substring("pbx.".length()) : wire.substring(wire.lastIndexOf('.') + 1);
    }

    private List<PresenceEvent> failed(String sourceId, String problem, Throwable cause) {
        int n = detector.consecutiveFailures(sourceId) + 1;
        POLL_LOG.warn("Poll of source {} failed ({} in a row): {}", sourceId, n, problem);
        metrics.failed(sourceId, PollProblems.reason(cause).label());
        return detector.onFailure(sourceId, problem, clock.instant());
    }
}
