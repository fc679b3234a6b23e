package pbx.presence.events;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.PresenceLog.LoggedEvent;
import pbx.presence.change.Fencing;
import pbx.presence.change.SinkLog;
import pbx.presence.change.StoreException;
import pbx.presence.metrics.SinkMetrics;
import pbx.presence.routing.EventHeadersProcessor;
import pbx.presence.routing.Headers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads the log after the sink's position on one thread of its own and hands each event to the
 * route synchronously, in order. The position advances only past events whose exchange completed
 * without an unhandled failure; on a failure the consumer waits {@code retryMillis} and starts again
 * from that same event. Commits wake it ({@link SinkLog#onCommit}); {@code pollMillis} is the
 * fallback. The position is stored once the sink has caught up, before a retry, at a stop, and
 * while it is behind at most every {@code saveMillis}.
 */
final class PresenceEventsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.sink");

    private final PresenceEventsEndpoint endpoint;
    private final SinkLog log;
    private final String sink;
    private final Object signal = new Object();
    private final Runnable wake = this::wake;
    private boolean woken;
    private volatile boolean running;
    private volatile long position = -1;
    /** Delivered up to {@link #position}, not yet stored; since (System.nanoTime) the last store. */
    private boolean unsaved;
    private long savedAt = System.nanoTime();
    /** In a cluster: the leadership the position was read under; every advance is fenced by it. */
    private volatile Fencing.Fence fence;
    /** The store failed and it was said once; the next success says it is back. */
    private volatile boolean storeFailing;
    private ExecutorService executor;
    /** With lanes &gt; 1: the threads of every lane but the first (which is the consumer's own). */
    private ExecutorService lanePool;
    private static final long NONE_FAILED = Long.MAX_VALUE;

    PresenceEventsConsumer(PresenceEventsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.log = endpoint.getComponent().log();
        this.sink = endpoint.getSink();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        log.consuming(sink, true);
        running = true;
        try {
            // a new sink's start is normally fixed already, before the router's first commit (SinkStarts)
            readPosition();
        } catch (StoreException e) {
            LOG.warn("Sink {} waits for the event store: {}", sink, e.getMessage());
            storeFailing = true;
        }
        log.onCommit(wake);
        endpoint.getComponent().metrics().watch(sink);
        var threads = getEndpoint().getCamelContext().getExecutorServiceManager();
        if (endpoint.getLanes() > 1) {
            lanePool = threads.newFixedThreadPool(this, "presence-events-" + sink + "-lane", endpoint.getLanes() - 1);
        }
        executor = threads.newSingleThreadExecutor(this, "presence-events-" + sink);
        executor.submit(this::run);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        log.removeOnCommit(wake);
        wake();
        if (executor != null) {
            executor.shutdown();
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Sink {} did not finish its current event within 30 s of the stop; it is delivered again at the next start", sink);
            }
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
        if (lanePool != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(lanePool);
            lanePool = null;
        }
        log.consuming(sink, false);
        super.doStop();
    }

    private void run() {
        while (running) {
            try {
                if (position < 0) {
                    readPosition();
                }
                List<LoggedEvent> events = log.eventsAfter(position, endpoint.getBatchSize(), null, null);
                if (storeFailing) {
                    LOG.info("Sink {}: the event store answers again; delivering from log position {}", sink, position);
                    storeFailing = false;
                }
                if (events.isEmpty()) {
                    storePosition();
                    pause(endpoint.getPollMillis());
                    continue;
                }
                long lost = events.get(0).position() - position - 1;
                if (lost > 0) {
                    // positions have no holes except what retention pruned
                    LOG.error("Sink {} fell behind the retention horizon (presence.events.retention): {} event(s) after its "
                            + "position {} were pruned before it read them; it goes on from log position {}", sink, lost, position,
                            events.get(0).position());
                }
                long failedAt = deliverAll(events);
                boolean failed = failedAt != NONE_FAILED && running;
                long done = failedAt == NONE_FAILED ? events.get(events.size() - 1).position() : failedAt - 1;
                if (done > position) {
                    position = done;
                    unsaved = true;
                }
                boolean caughtUp = events.size() < endpoint.getBatchSize();
                if (failed || caughtUp || System.nanoTime() - savedAt >= TimeUnit.MILLISECONDS.toNanos(endpoint.getSaveMillis())) {
                    storePosition();
                }
                if (failed) {
                    pause(endpoint.getRetryMillis());
                }
            } catch (Fencing.LostLeadership e) {
                // another router leads this sink now: it delivers from the stored position (again, at least once)
                if (fence != null) {
                    LOG.warn("Sink {}: {}; its position stays where the new leader finds it", sink, e.getMessage());
                }
                position = -1;
                unsaved = false;
                fence = null;
                pause(endpoint.getRetryMillis());
            } catch (StoreException e) {
                if (!storeFailing) {
                    LOG.warn("Sink {} waits for the event store: {}", sink, e.getMessage());
                    storeFailing = true;
                }
                pause(endpoint.getRetryMillis());
            } catch (InterruptedException e) {
                // the consumer is stopping; the position stays before whatever did not complete
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                LOG.error("Sink {} failed at log position {}: {}; trying again", sink, position, e.toString());
                pause(endpoint.getRetryMillis());
            }
        }
        try {
            storePosition(); // what was delivered since the last store; the thread's own state, so no race
        } catch (RuntimeException e) {
            LOG.warn("Sink {}: its position {} could not be stored at the stop ({}); the events after the stored one are delivered again at the next start (same ids)",
                    sink, position, e.getMessage());
        }
    }

    /** The stored position, and in a cluster the leadership it is read under (none: nothing is delivered). */
    private void readPosition() {
        Fencing fencing = endpoint.getComponent().fencing();
        if (fencing.enabled()) {
            fence = fencing.fence(Fencing.sinkNamespace(sink)).orElseThrow(() -> new Fencing.LostLeadership("sink " + sink));
        }
        position = log.sinkPosition(sink, SinkLog.StartAt.parse(endpoint.getStartAt()));
        unsaved = false;
    }

    /** Stores the position delivered so far, if it moved since the last store (a failure leaves it to store again). */
    private void storePosition() {
        if (!unsaved) {
            return;
        }
        Fencing.Fence f = fence;
        if (f == null) {
            log.saveSinkPosition(sink, position);
        } else {
            log.saveSinkPosition(sink, position, f);
        }
        unsaved = false;
        savedAt = System.nanoTime();
    }

    /**
     * Delivers a batch, on this thread alone or over the endpoint's lanes ({@link Lanes}); the log
     * position of the first event that did not complete (every earlier one did), or
     * {@link #NONE_FAILED}. A lane stops at its first failure; the other lanes finish the step, and
     * what they delivered after that position is delivered again (same ids) when the sink retries.
     */
    private long deliverAll(List<LoggedEvent> events) throws InterruptedException {
        if (lanePool == null) {
            return deliverInOrder(events);
        }
        for (List<List<LoggedEvent>> step : Lanes.plan(events, endpoint.getLanes())) {
            List<Future<Long>> others = new ArrayList<>();
            for (List<LoggedEvent> lane : step.subList(1, step.size())) {
                others.add(lanePool.submit(() -> deliverInOrder(lane)));
            }
            long failedAt = deliverInOrder(step.get(0));
            for (Future<Long> f : others) {
                try {
                    failedAt = Math.min(failedAt, f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a delivery lane of sink " + sink + " failed: " + e.getCause(), e.getCause());
                }
            }
            if (failedAt != NONE_FAILED) {
                return failedAt;
            }
        }
        return NONE_FAILED;
    }

    /** Delivers events one after the other; the position of the first that did not complete, or {@link #NONE_FAILED}. */
    private long deliverInOrder(List<LoggedEvent> events) {
        for (LoggedEvent e : events) {
            if (!running || !deliver(e)) {
                return e.position();
            }
        }
        return NONE_FAILED;
    }

    /** One exchange for one event; true when it completed (delivered, filtered out or dead-lettered). */
    private boolean deliver(LoggedEvent e) {
        Exchange exchange = createExchange(false);
        try {
            var m = exchange.getMessage();
            m.setBody(e.json());
            m.setHeader(Headers.EVENT_ID, e.sourceId() + ":" + (e.extension() == null ? "-source" : e.extension()) + ":" + e.sequence());
            m.setHeader(Headers.SOURCE, e.sourceId());
            m.setHeader(Headers.EVENT_TYPE, e.type());
            m.setHeader(Headers.EXTENSION, e.extension() == null ? "" : e.extension());
            m.setHeader(Headers.LOG_POSITION, e.position());
            EventHeadersProcessor.tryHeaders(exchange);
            try {
                getProcessor().process(exchange);
            } catch (Exception x) {
                exchange.setException(x);
            }
            Exception failure = exchange.getException();
            if (failure == null) {
                count(exchange);
                return true;
            }
            if (running && isRunAllowed()) {
                LOG.warn("Sink {}: event {} (log position {}) was not finished ({}); it is tried again in {} ms", sink,
                        m.getHeader(Headers.EVENT_ID), e.position(), failure.getMessage(), endpoint.getRetryMillis());
            }
            return false;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** Delivered, left out by the sink's filter, or dead-lettered (the dead-letter routes mark it). */
    private void count(Exchange exchange) {
        SinkMetrics metrics = endpoint.getComponent().metrics();
        if (Boolean.TRUE.equals(exchange.getProperty(SinkMetrics.DEAD_LETTERED, Boolean.class))) {
            metrics.deadLettered(sink);
        } else if (Boolean.FALSE.equals(exchange.getProperty(SinkMetrics.FILTER_MATCHED, Boolean.class))) {
            metrics.filtered(sink);
        } else {
            metrics.delivered(sink);
        }
    }

    /** False once a stop has begun: no further event is handed to the route (for tests). */
    boolean delivering() {
        return running;
    }

    private void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void pause(long millis) {
        synchronized (signal) {
            try {
                if (!woken && running) {
                    signal.wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                woken = false;
            }
        }
    }
}
