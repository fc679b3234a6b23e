package pbx.presence.events;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import pbx.presence.change.SinkLog;

/** One named sink's view of the event log; consumer only (see {@link PresenceEventsComponent}). */
public final class PresenceEventsEndpoint extends DefaultEndpoint {

    private final String sink;
    private String startAt = "end";
    private long pollMillis = 5000;
    private long retryMillis = 1000;
    private int batchSize = 100;
    private long saveMillis = 1000;
    private int lanes = 1;

    PresenceEventsEndpoint(String uri, PresenceEventsComponent component, String sink) {
        super(uri, component);
        this.sink = sink;
    }

    void validate() {
        SinkLog.StartAt.parse(startAt);
        if (pollMillis < 1 || retryMillis < 1 || batchSize < 1) {
            throw new IllegalArgumentException("presence-events:" + sink + ": pollMillis, retryMillis and batchSize must be positive");
        }
        if (saveMillis < 0) {
            throw new IllegalArgumentException("presence-events:" + sink + ": saveMillis must be 0 or more, was " + saveMillis);
        }
        if (lanes < 1 || lanes > 64) {
            throw new IllegalArgumentException("presence-events:" + sink + ": lanes must be a whole number from 1 to 64, was " + lanes);
        }
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("presence-events:" + sink + " can only be consumed (from:); "
                + "events enter the log through direct:presence-poll");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        PresenceEventsConsumer consumer = new PresenceEventsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public PresenceEventsComponent getComponent() {
        return (PresenceEventsComponent) super.getComponent();
    }

    public String getSink() {
        return sink;
    }

    public String getStartAt() {
        return startAt;
    }

    /** Where a sink name never seen before starts: end (default), start, or an ISO-8601 instant. */
    public void setStartAt(String startAt) {
        this.startAt = startAt;
    }

    public long getPollMillis() {
        return pollMillis;
    }

    /** Fallback poll of the log (ms); every commit wakes the consumer at once anyway. */
    public void setPollMillis(long pollMillis) {
        this.pollMillis = pollMillis;
    }

    public long getRetryMillis() {
        return retryMillis;
    }

    /** Wait (ms) before an event whose exchange failed unhandled, or a store that failed, is tried again. */
    public void setRetryMillis(long retryMillis) {
        this.retryMillis = retryMillis;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /** Events read from the log at a time. */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getSaveMillis() {
        return saveMillis;
    }

    /**
     * While the sink is behind (each read fills a whole batch), its position is stored at most this
     * often (ms); it is stored at once when the sink has caught up, before any retry, and at a stop.
     * 0 stores it after every batch. A crash then delivers again at most about this long's events
     * (same ids), and the sink no longer queues for the store's write lock 40 times a second behind
     * large poll commits (issue 13: that wait was a quarter of the file sink's time at 1M).
     */
    public void setSaveMillis(long saveMillis) {
        this.saveMillis = saveMillis;
    }

    public int getLanes() {
        return lanes;
    }

    /**
     * Events in flight at once (1, the default: one at a time in log order). With more, the events of
     * one extension still go one at a time in log order, each source's up/down event waits for every
     * earlier event of the batch and holds back every later one, and different extensions go in
     * parallel (a slow receiver then costs one round trip per lane, not per event).
     */
    public void setLanes(int lanes) {
        this.lanes = lanes;
    }
}
