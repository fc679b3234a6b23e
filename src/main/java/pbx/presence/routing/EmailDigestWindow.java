package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.StoreException;
import pbx.presence.change.PresenceLog.LoggedEvent;
import pbx.presence.change.SinkLog;

import java.util.List;

/**
 * Reads one digest window from the event log: every event after the e-mail sink's position, and
 * moves the position past them only when the digest's exchange completes (the mail was sent, or it
 * was dead-lettered). A crash, a kill or a stop before that leaves the position where it was, and
 * the next digest after a restart mails them: a window never lives only in memory.
 */
public final class EmailDigestWindow {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.email");

    private final SinkLog log;
    private final String sink;
    private final int maxEvents;

    public EmailDigestWindow(SinkLog log, String sink, int maxEvents) {
        this.log = log;
        this.sink = sink;
        this.maxEvents = maxEvents;
    }

    /**
     * Claims the sink name and fixes where a new digest starts (the end of the log at this start),
     * before the sources start: a window then misses nothing committed after the start. Called by
     * the wiring when the digest runs (not a Camel Service: a bean step would start it in any case).
     */
    public void open() {
        log.consuming(sink, true);
        try {
            log.sinkPosition(sink, SinkLog.StartAt.END);
        } catch (StoreException e) {
            LOG.warn("E-mail digest waits for the event store: {}", e.getMessage());
        }
    }

    public void close() {
        log.consuming(sink, false);
    }

    /** Sets the body to the window's event JSON, oldest first, and arranges the position's move on completion. */
    public void take(Exchange exchange) {
        long position = log.sinkPosition(sink, SinkLog.StartAt.END);
        List<LoggedEvent> events = log.eventsAfter(position, maxEvents, null, null);
        if (!events.isEmpty() && events.get(0).position() > position + 1) {
            LOG.error("Sink {} fell behind the retention horizon (presence.events.retention): {} event(s) after its position {} "
                    + "were pruned before they were mailed", sink, events.get(0).position() - position - 1, position);
        }
        exchange.getMessage().setBody(events.stream().map(LoggedEvent::json).toList());
        if (events.isEmpty()) {
            return;
        }
        long last = events.get(events.size() - 1).position();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                log.saveSinkPosition(sink, last);
            }
        });
    }
}
