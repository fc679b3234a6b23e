package pbx.presence.change;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.PresenceEvent;
import pbx.presence.connector.PayloadException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compares each poll's snapshot of a source with the last known state and turns the differences
 * into events (DESIGN.md "Events", "State and delivery guarantees").
 *
 * <ul>
 *   <li>The first snapshot of a source with no stored state is a silent baseline (unless
 *       {@code emitBaseline}).</li>
 *   <li>Events are staged in the {@link Outbox} before the state is saved, and published after:
 *       nothing is lost by a crash at any point, and a failed write changes no state.</li>
 *   <li>A failed poll changes no extension state; the {@code downAfterFailures}-th consecutive
 *       failure emits one {@code pbx.source.down}; the next good poll emits {@code pbx.source.up}
 *       and then the real differences.</li>
 * </ul>
 * Polls of one source are serialised; different sources proceed in parallel.
 */
public final class ChangeDetector {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeDetector.class);

    private final StateStore store;
    private final Outbox outbox;
    private final int downAfterFailures;
    private final boolean emitBaseline;
    private final Map<String, SourceState> states = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public ChangeDetector(StateStore store, Outbox outbox, int downAfterFailures, boolean emitBaseline) {
        if (downAfterFailures < 1) {
            throw new IllegalArgumentException("presence.source.down-after-failures must be at least 1, was " + downAfterFailures);
        }
        this.store = store;
        this.outbox = outbox;
        this.downAfterFailures = downAfterFailures;
        this.emitBaseline = emitBaseline;
        outbox.recover(store);
    }

    /**
     * Takes one successful poll's snapshot and returns the events it produced, already durable.
     *
     * @throws PayloadException when the snapshot itself is inconsistent (an extension twice); no state changes
     */
    public List<PresenceEvent> onSnapshot(String sourceId, List<ExtensionPresence> snapshot, Instant now) {
        SourceIds.requireValid(sourceId);
        synchronized (lockOf(sourceId)) {
            Map<String, ExtensionPresence> current = index(sourceId, snapshot);
            failures.remove(sourceId);
            SourceState state = stateOf(sourceId);
            if (state == null || state.extensions().isEmpty()) {
                return baseline(sourceId, current, state, now);
            }
            List<PresenceEvent> events = new ArrayList<>();
            Map<String, ExtensionState> updates = new HashMap<>();
            long sourceSeq = state.sequence();
            boolean wasDown = state.down();
            if (wasDown) {
                sourceSeq++;
                events.add(PresenceEvent.sourceEvent(EventType.SOURCE_UP, sourceId, sourceSeq, now, 0, null));
            }
            for (ExtensionPresence after : current.values()) {
                ExtensionState known = state.extensions().get(after.extension());
                if (known == null || known.last() == null) {
                    long seq = known == null ? 1 : known.sequence() + 1;
                    events.add(PresenceEvent.extensionEvent(EventType.ADDED, sourceId, after.extension(), seq, now,
                            null, after, List.of()));
                    updates.put(after.extension(), new ExtensionState(after, seq));
                } else {
                    List<String> changed = PresenceDiff.changedFields(known.last(), after);
                    if (!changed.isEmpty()) {
                        long seq = known.sequence() + 1;
                        events.add(PresenceEvent.extensionEvent(EventType.CHANGED, sourceId, after.extension(), seq,
                                now, known.last(), after, changed));
                        updates.put(after.extension(), new ExtensionState(after, seq));
                    }
                }
            }
            for (Map.Entry<String, ExtensionState> e : state.extensions().entrySet()) {
                ExtensionState known = e.getValue();
                if (known.last() != null && !current.containsKey(e.getKey())) {
                    long seq = known.sequence() + 1;
                    events.add(PresenceEvent.extensionEvent(EventType.REMOVED, sourceId, e.getKey(), seq, now,
                            known.last(), null, List.of()));
                    updates.put(e.getKey(), new ExtensionState(null, seq));
                }
            }
            if (events.isEmpty()) {
                return events;
            }
            Map<String, ExtensionState> next = new HashMap<>(state.extensions());
            next.putAll(updates);
            commit(new SourceState(sourceId, next, sourceSeq, false), events);
            return events;
        }
    }

    /**
     * Records a failed poll. Changes no extension state; returns the {@code pbx.source.down} event
     * when this failure is the one that crosses the threshold, else nothing.
     */
    public List<PresenceEvent> onFailure(String sourceId, String problem, Instant now) {
        SourceIds.requireValid(sourceId);
        synchronized (lockOf(sourceId)) {
            int count = failures.merge(sourceId, 1, Integer::sum);
            SourceState state = stateOf(sourceId);
            boolean down = state != null && state.down();
            if (count < downAfterFailures || down) {
                return List.of();
            }
            SourceState base = state != null ? state : new SourceState(sourceId, Map.of(), 0, false);
            long seq = base.sequence() + 1;
            List<PresenceEvent> events = List.of(
                    PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, sourceId, seq, now, count, problem));
            commit(new SourceState(sourceId, base.extensions(), seq, true), events);
            return events;
        }
    }

    /** Ids of the sources currently reported DOWN, sorted. */
    public java.util.SortedSet<String> sourcesDown() {
        java.util.SortedSet<String> down = new java.util.TreeSet<>();
        states.values().stream().filter(SourceState::down).forEach(st -> down.add(st.sourceId()));
        return down;
    }

    /** Consecutive failed polls of a source since its last good one. */
    public int consecutiveFailures(String sourceId) {
        return failures.getOrDefault(sourceId, 0);
    }

    /** The last known state of every extension of a source (tombstones excluded). */
    public List<ExtensionPresence> snapshotOf(String sourceId) {
        synchronized (lockOf(sourceId)) {
            SourceState s = stateOf(sourceId);
            if (s == null) {
                return List.of();
            }
            return s.extensions().values().stream().map(ExtensionState::last).filter(p -> p != null).toList();
        }
    }

    /**
     * First good poll of a source never seen before (or only ever seen failing): record, don't
     * announce. A source that was reported DOWN still gets its {@code pbx.source.up}.
     */
    private List<PresenceEvent> baseline(String sourceId, Map<String, ExtensionPresence> current,
                                         SourceState previous, Instant now) {
        Map<String, ExtensionState> exts = new HashMap<>();
        List<PresenceEvent> events = new ArrayList<>();
        long sourceSeq = previous == null ? 0 : previous.sequence();
        if (previous != null && previous.down()) {
            sourceSeq++;
            events.add(PresenceEvent.sourceEvent(EventType.SOURCE_UP, sourceId, sourceSeq, now, 0, null));
        }
        for (ExtensionPresence p : current.values()) {
            long seq = emitBaseline ? 1 : 0;
            exts.put(p.extension(), new ExtensionState(p, seq));
            if (emitBaseline) {
                events.add(PresenceEvent.extensionEvent(EventType.ADDED, sourceId, p.extension(), seq, now, null, p, List.of()));
            }
        }
        commit(new SourceState(sourceId, exts, sourceSeq, false), events);
        LOG.info("Source {}: baseline of {} extensions recorded{}", sourceId, exts.size(),
                emitBaseline ? " and announced" : " (no events for the first poll)");
        return events;
    }

    /** Stage, save, publish: the order that makes a crash at any point lose nothing. */
    private void commit(SourceState next, List<PresenceEvent> events) {
        Outbox.Staged staged = outbox.stage(next.sourceId(), events);
        try {
            store.save(next);
        } catch (RuntimeException e) {
            staged.abort();
            throw e;
        }
        states.put(next.sourceId(), next);
        staged.commit();
    }

    private SourceState stateOf(String sourceId) {
        SourceState s = states.get(sourceId);
        if (s == null) {
            s = store.load(sourceId).orElse(null);
            if (s != null) {
                states.put(sourceId, s);
            }
        }
        return s;
    }

    private static Map<String, ExtensionPresence> index(String sourceId, List<ExtensionPresence> snapshot) {
        Map<String, ExtensionPresence> byExt = new java.util.LinkedHashMap<>(snapshot.size() * 2);
        Set<String> duplicates = new HashSet<>();
        for (ExtensionPresence p : snapshot) {
            if (!sourceId.equals(p.source())) {
                throw new PayloadException("snapshot of source " + sourceId + " contains a record of source " + p.source());
            }
            if (byExt.put(p.extension(), p) != null) {
                duplicates.add(p.extension());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new PayloadException("the PBX listed extension(s) " + duplicates + " more than once in one poll");
        }
        return byExt;
    }

    private Object lockOf(String sourceId) {
        return locks.computeIfAbsent(sourceId, k -> new Object());
    }
}
