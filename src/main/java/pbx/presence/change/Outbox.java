package pbx.presence.change;

import pbx.presence.model.PresenceEvent;

import java.util.List;

/**
 * Durable hand-off of events to the sinks. The change detector stages a poll's events, saves its
 * state, then commits: a crash before the state is saved leaves nothing visible (the next poll
 * detects the same changes with the same ids); a crash after it leaves staged events that
 * {@link #recover} publishes. Either way no event is lost and none changes its id.
 */
public interface Outbox {

    Staged stage(String sourceId, List<PresenceEvent> events);

    /** Publishes or discards what a crash left staged, judged against the saved state. */
    void recover(StateStore store);

    /** A poll's events written durably but not yet visible to the sinks. */
    interface Staged {
        void commit();

        void abort();
    }
}
