package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.StoreException;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.PresenceEvent;

import java.time.Clock;
import java.util.List;

/**
 * The pipeline's single step per poll: hands a good snapshot to the {@link ChangeDetector}, or
 * records a failed poll with one WARN line naming the source and the problem. Logs one INFO line
 * per event. The events themselves reach the sinks through the event log the detector commits them to; a
 * store that cannot load or commit fails the poll like a vendor error does.
 */
public final class PollOutcomeProcessor implements Processor {

    /** Exchange property a source kamelet may set to the URL it polls, so failures can name its path. */
    public static final String POLLED_URL = "pbxPollUrl";

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.events");
    private static final Logger POLL_LOG = LoggerFactory.getLogger("pbx.presence.poll");

    private final ChangeDetector detector;
    private final EventMailFormatter wording;
    private final Clock clock;

    public PollOutcomeProcessor(ChangeDetector detector, EventMailFormatter wording, Clock clock) {
        this.detector = detector;
        this.wording = wording;
        this.clock = clock;
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
        List<PresenceEvent> events;
        if (failure != null) {
            events = failed(sourceId, PollProblems.describe(failure, exchange.getProperty(POLLED_URL, String.class)));
        } else {
            @SuppressWarnings("unchecked")
            List<ExtensionPresence> snapshot = exchange.getMessage().getMandatoryBody(List.class);
            try {
                events = detector.onSnapshot(sourceId, snapshot, clock.instant());
            } catch (pbx.presence.connector.PayloadException | StoreException e) {
                events = failed(sourceId, e.getMessage());
            }
        }
        for (PresenceEvent e : events) {
            LOG.info("[{}] {}{}", sourceId, wording.subject(e),
                    e.data().changed() == null || e.data().changed().isEmpty() ? "" : " (changed: " + String.join(", ", e.data().changed()) + ")");
        }
        exchange.getMessage().setBody(events);
    }

    private List<PresenceEvent> failed(String sourceId, String problem) {
        int n = detector.consecutiveFailures(sourceId) + 1;
        POLL_LOG.warn("Poll of source {} failed ({} in a row): {}", sourceId, n, problem);
        return detector.onFailure(sourceId, problem, clock.instant());
    }
}
