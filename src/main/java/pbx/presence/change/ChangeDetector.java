package pbx.presence.change;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.connector.PayloadException;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.PresenceEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Compares each poll's snapshot of a source with the last known state and turns the differences
 * into events (DESIGN.md "Events", "State and delivery guarantees").
 *
 * <ul>
 *   <li>The first snapshot of a source with no stored state is a silent baseline (unless
 *       {@code emitBaseline}).</li>
 *   <li>A poll's changes are committed in {@link EventStore#commit}s of at most {@link #COMMIT_BATCH}
 *       changed extensions: each the changed extensions, their events and the source's row, or
 *       nothing (a poll of a small PBX is one). The in-memory state follows each commit only after it
 *       succeeded, so a failed commit loses nothing: the next poll detects the same changes with
 *       the same ids. A poll with nothing changed writes nothing.</li>
 *   <li>A poll takes at most {@link #maxChangesPerPoll} changed extensions (issue 13 item 4: bounded
 *       work, memory and time per poll however much changed). The others are left as they are in the
 *       store, so the next poll finds them again, with whatever they show by then; it starts reading
 *       after the last extension this one took, so every extension has its turn. How many were left,
 *       and since when a source has been leaving some, is {@link #deferredChanges} and
 *       {@link #deferringSince}.</li>
 *   <li>A failed poll changes no extension state; the {@code downAfterFailures}-th consecutive
 *       failure emits one {@code pbx.source.down}; the next good poll emits {@code pbx.source.up}
 *       and then the real differences. A store that cannot load or commit fails the poll the same
 *       way (the caller reports it), so a broken disk or database shows up as a source down.</li>
 * </ul>
 * In memory it keeps per extension only what detection needs (issue 13 item 2): the sequence, whether
 * the extension is removed, and a 128-bit {@link PresenceDigest fingerprint} of its significant fields,
 * about 140 bytes in all instead of the whole record. A poll reads its snapshot once and fingerprints
 * every record, keeping only those whose fingerprint moved (no index of the whole snapshot is built);
 * they and the ones that disappeared have their previous full state read from the store (one batched
 * read per commit batch), and their events are built from it exactly as from a record in memory, with
 * the complete raw {@code vendorStatus}. A poll where nothing changed reads nothing.
 * Polls of one source are serialised; different sources proceed in parallel.
 */
public final class ChangeDetector {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeDetector.class);

    private final EventStore store;
    private final int downAfterFailures;
    private final boolean emitBaseline;
    /** Changed extensions per transaction, at most ({@link #onSnapshot(String, List, Instant, Consumer)}). */
    private final int commitBatch;
    private final Map<String, Known> states = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastGoodPoll = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** In a cluster: the leadership under which each source's state was cached (issue 12). */
    private final Map<String, Fencing.Fence> cachedUnder = new ConcurrentHashMap<>();
    /** Sources whose last good poll left changed extensions for later: how many, and since when they have been leaving some. */
    private final Map<String, Backlog> backlogs = new ConcurrentHashMap<>();
    private volatile int maxChangesPerPoll = MAX_CHANGES_PER_POLL;
    private volatile Fencing fencing = Fencing.NONE;
    private volatile Runnable beforeFirstCommit = () -> { };
    private volatile boolean committedBefore;

    /** Changed extensions per transaction unless told otherwise. */
    public static final int COMMIT_BATCH = 5_000;

    /** Changed extensions one poll takes unless told otherwise ({@code presence.source.max-changes-per-poll}). */
    public static final int MAX_CHANGES_PER_POLL = 50_000;

    public ChangeDetector(EventStore store, int downAfterFailures, boolean emitBaseline) {
        this(store, downAfterFailures, emitBaseline, COMMIT_BATCH);
    }

    ChangeDetector(EventStore store, int downAfterFailures, boolean emitBaseline, int commitBatch) {
        if (commitBatch < 1) {
            throw new IllegalArgumentException("the commit batch must be at least 1, was " + commitBatch);
        }
        this.commitBatch = commitBatch;
        if (downAfterFailures < 1) {
            throw new IllegalArgumentException("presence.source.down-after-failures must be at least 1, was " + downAfterFailures);
        }
        this.store = store;
        this.downAfterFailures = downAfterFailures;
        this.emitBaseline = emitBaseline;
    }

    /**
     * In a cluster ({@code presence.cluster.mode = database}) every commit is fenced by the leadership
     * this router holds for the source, and state cached under an earlier leadership is reloaded.
     */
    public void useFencing(Fencing fencing) {
        this.fencing = fencing;
    }

    /**
     * At most this many changed (added, removed) extensions are taken in one poll; 0 takes all. The
     * rest keep their stored state and are found again by the next poll, which starts reading the
     * snapshot after the last extension this one took.
     */
    public void maxChangesPerPoll(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("presence.source.max-changes-per-poll must be 0 (no limit) or more, was " + max);
        }
        this.maxChangesPerPoll = max;
    }

    /** Changed extensions the last good poll of a source found but left for the next ones (0: none). */
    public int deferredChanges(String sourceId) {
        Backlog b = backlogs.get(sourceId);
        return b == null ? 0 : b.left();
    }

    /** Since when every good poll of the source has left changed extensions for later, else null. */
    public Instant deferringSince(String sourceId) {
        Backlog b = backlogs.get(sourceId);
        return b == null ? null : b.since();
    }

    /** Ids of the sources whose last good poll left changed extensions for later, sorted. */
    public SortedSet<String> sourcesDeferring() {
        return new TreeSet<>(backlogs.keySet());
    }

    /**
     * Runs once, before this router's first commit (and again before the next one if it fails, in
     * which case nothing is committed): the wiring fixes where each new sink starts there, so that no
     * sink misses an event this router commits.
     */
    public void beforeFirstCommit(Runnable action) {
        this.beforeFirstCommit = action;
    }

    /**
     * Takes one successful poll's snapshot and returns the events it produced, already committed (all
     * of them, in one list: for tools and tests; the pipeline takes them batch by batch).
     *
     * @throws PayloadException when the snapshot itself is inconsistent (an extension twice); no state changes
     * @throws StoreException when the store cannot load or commit; the batches committed before stay
     */
    public List<PresenceEvent> onSnapshot(String sourceId, List<ExtensionPresence> snapshot, Instant now) {
        List<PresenceEvent> all = new ArrayList<>();
        onSnapshot(sourceId, snapshot, now, all::addAll);
        return all;
    }

    /**
     * Takes one successful poll's snapshot and hands its events to {@code committed}, one committed
     * batch at a time (at most {@link #commitBatch} changed extensions each), so that a poll in which a
     * large part of a large PBX changed never holds all its events, previous states and encoded rows at
     * once (issue 13 item 4). Each batch is one transaction: an extension's state and its event are
     * written together, so an id is never reused and nothing is half applied; a failure ends the poll
     * after the batches already committed, and the next poll finds the rest with the same ids. Removed
     * extensions come last, in batches of their own, and only once the whole snapshot was compared. A
     * baseline is always one transaction.
     *
     * @return the number of events committed
     * @throws PayloadException when the snapshot itself is inconsistent (an extension twice); no state changes
     * @throws StoreException when the store cannot load or commit; the batches committed before stay
     */
    public int onSnapshot(String sourceId, List<ExtensionPresence> snapshot, Instant now, Consumer<List<PresenceEvent>> committed) {
        SourceIds.requireValid(sourceId);
        Counted counted = new Counted(committed);
        synchronized (lockOf(sourceId)) {
            try {
                onSnapshotLeading(sourceId, snapshot, now, counted);
            } catch (Fencing.LostLeadership e) {
                lostLeadership(sourceId, e);
            }
        }
        return counted.events;
    }

    /** Counts what passes to the caller. */
    private static final class Counted implements Consumer<List<PresenceEvent>> {
        private final Consumer<List<PresenceEvent>> next;
        int events;

        Counted(Consumer<List<PresenceEvent>> next) {
            this.next = next;
        }

        @Override
        public void accept(List<PresenceEvent> batch) {
            events += batch.size();
            next.accept(batch);
        }
    }

    private void onSnapshotLeading(String sourceId, List<ExtensionPresence> snapshot, Instant now,
                                   Consumer<List<PresenceEvent>> committed) {
        Fencing.Fence fence = fenceOf(sourceId);
        PresenceDigest digest = new PresenceDigest();
        Known state = stateOf(sourceId, digest);
        if (state == null || state.extensions.isEmpty()) {
            baseline(sourceId, state, index(sourceId, snapshot), vendorOf(snapshot), now, digest, fence, committed);
            deferred(sourceId, 0, now); // a baseline takes every extension
            return;
        }
        Batch batch = new Batch(sourceId, vendorOf(snapshot), now, fence, committed);
        batch.sourceSeq = state.sequence;
        if (state.down) {
            batch.sourceSeq++;
            batch.events.add(PresenceEvent.sourceEvent(EventType.SOURCE_UP, sourceId, batch.sourceSeq, now, 0, null));
        }
        int left = diff(sourceId, state, snapshot, now, batch, digest);
        batch.flush(state);
        pollSucceeded(sourceId, now);
        deferred(sourceId, left, now);
    }

    /** Records how many changed extensions a good poll left for later, and since when the source has been leaving some. */
    private void deferred(String sourceId, int left, Instant now) {
        if (left == 0) {
            backlogs.remove(sourceId);
        } else {
            backlogs.merge(sourceId, new Backlog(left, now), (before, latest) -> new Backlog(left, before.since()));
        }
    }

    /** What a source's last good poll left for later, and when its polls began leaving some. */
    private record Backlog(int left, Instant since) {
    }

    /** The first snapshot of a source with no stored extensions: one transaction, silent unless {@code emitBaseline}. */
    private void baseline(String sourceId, Known state, Map<String, ExtensionPresence> current, String vendor, Instant now,
                          PresenceDigest digest, Fencing.Fence fence, Consumer<List<PresenceEvent>> committed) {
        List<PresenceEvent> events = new ArrayList<>();
        long sourceSeq = state == null ? 0 : state.sequence;
        if (state != null && state.down) {
            sourceSeq++;
            events.add(PresenceEvent.sourceEvent(EventType.SOURCE_UP, sourceId, sourceSeq, now, 0, null));
        }
        Map<String, ExtensionState> updates = new HashMap<>(capacity(current.size()));
        Map<String, Tracked> tracked = new HashMap<>(capacity(current.size()));
        for (ExtensionPresence p : current.values()) {
            long seq = emitBaseline ? 1 : 0;
            updates.put(p.extension(), new ExtensionState(p, seq));
            tracked.put(p.extension(), Tracked.of(digest.of(p), seq));
            if (emitBaseline) {
                events.add(PresenceEvent.extensionEvent(EventType.ADDED, sourceId, p.extension(), seq, now, null, p, List.of()));
            }
        }
        if (events.isEmpty() && updates.isEmpty() && state != null) {
            pollSucceeded(sourceId, now); // a source known to have no extensions still has none
            return;
        }
        commit(new EventStore.Commit(sourceId, vendor, updates, sourceSeq, false, 0, now, events), tracked, fence);
        committed.accept(events);
        pollSucceeded(sourceId, now);
        LOG.info("Source {}: baseline of {} extensions recorded{}", sourceId, current.size(),
                emitBaseline ? " and announced" : " (no events for the first poll)");
    }

    /** What one transaction of a poll carries; {@link #flush} commits it (or only refreshes fingerprints) and starts the next. */
    private final class Batch {
        final String sourceId;
        final String vendor;
        final Instant now;
        final Fencing.Fence fence;
        final Consumer<List<PresenceEvent>> committed;
        long sourceSeq;
        List<PresenceEvent> events = new ArrayList<>();
        Map<String, ExtensionState> updates = new HashMap<>();
        Map<String, Tracked> tracked = new HashMap<>();

        Batch(String sourceId, String vendor, Instant now, Fencing.Fence fence, Consumer<List<PresenceEvent>> committed) {
            this.sourceId = sourceId;
            this.vendor = vendor;
            this.now = now;
            this.fence = fence;
            this.committed = committed;
        }

        void flush(Known state) {
            if (events.isEmpty() && updates.isEmpty()) {
                // only fingerprints that describe what the store already holds (see diff): nothing to commit
                state.apply(tracked);
            } else {
                commit(new EventStore.Commit(sourceId, vendor, updates, sourceSeq, false, 0, now, events), tracked, fence);
                committed.accept(events);
            }
            events = new ArrayList<>();
            updates = new HashMap<>();
            tracked = new HashMap<>();
        }
    }

    private static final List<String> DEVICES_ONLY = List.of("devices");

    /**
     * An extension to look at again once its previous state is read: a record whose fingerprint differs
     * from the known one, or (no record) a present extension the snapshot no longer lists.
     */
    private record Moved(String extension, ExtensionPresence after, Tracked known, long hi, long lo) {
        boolean wasPresent() {
            return known != null && !known.removed();
        }
    }

    /**
     * Two passes. The first fingerprints every record and keeps only those that are new, returning or
     * whose fingerprint moved, then the known extensions the snapshot no longer lists, up to
     * {@link #maxChangesPerPoll} of them: it reads the snapshot from after the last record taken by the
     * last poll that had to leave some, round to where it started. The second goes through the kept
     * ones in that order, {@link #commitBatch} at a time: the previous states of the ones that were
     * present are read from the store in one batch, their events built from the full records as a
     * comparison of whole records did, and each full batch committed (the last one by the caller).
     *
     * @return how many changed extensions were found but left for the next poll
     */
    private int diff(String sourceId, Known state, List<ExtensionPresence> snapshot, Instant now, Batch batch,
                     PresenceDigest digest) {
        List<Moved> moved = new ArrayList<>();
        int limit = maxChangesPerPoll == 0 ? Integer.MAX_VALUE : maxChangesPerPoll;
        int left = 0;
        int start = state.resumeAt < snapshot.size() ? state.resumeAt : 0;
        int lastTaken = -1;
        int stillListed = 0;
        // one read of the snapshot, with no index of it: only the moved records are kept
        Set<String> listed = new HashSet<>(capacity(snapshot.size()));
        Set<String> duplicates = new LinkedHashSet<>();
        int index = start;
        for (ExtensionPresence after : rotated(snapshot, start)) {
            int at = index++;
            requireSource(sourceId, after);
            if (!listed.add(after.extension())) {
                duplicates.add(after.extension());
                continue;
            }
            Tracked known = state.extensions.get(after.extension());
            digest.of(after);
            if (known != null && !known.removed()) {
                stillListed++;
                if (known.hi() == digest.hi() && known.lo() == digest.lo()) {
                    continue;
                }
            }
            if (moved.size() < limit) {
                moved.add(new Moved(after.extension(), after, known, digest.hi(), digest.lo()));
                lastTaken = at % snapshot.size();
            } else {
                left++;
            }
        }
        if (!duplicates.isEmpty()) {
            throw twice(duplicates);
        }
        if (stillListed < state.live) {
            // some extension the store holds as present is not in this snapshot: find which (a full pass,
            // skipped in the usual poll where every known extension is listed again)
            for (Map.Entry<String, Tracked> e : state.extensions.entrySet()) {
                if (!e.getValue().removed() && !listed.contains(e.getKey())) {
                    if (moved.size() < limit) {
                        moved.add(new Moved(e.getKey(), null, e.getValue(), 0, 0));
                    } else {
                        left++;
                    }
                }
            }
        }
        if (left > 0 && lastTaken >= 0) {
            // the next poll starts after the last record this one took, so every extension has its turn even
            // when the same ones change again and again (removals left wait for a poll that has room); a poll
            // that left nothing keeps the place for the next one that must
            state.resumeAt = (lastTaken + 1) % snapshot.size();
        }
        for (int from = 0; from < moved.size(); from += commitBatch) {
            List<Moved> part = moved.subList(from, Math.min(moved.size(), from + commitBatch));
            List<String> toRead = part.stream().filter(Moved::wasPresent).map(Moved::extension).toList();
            Map<String, ExtensionState> previous = toRead.isEmpty() ? Map.of() : store.loadExtensions(sourceId, toRead);
            for (Moved m : part) {
                if (m.after() == null) {
                    removed(sourceId, m, previous, now, batch);
                } else {
                    compare(sourceId, m, previous, now, batch);
                }
            }
            if (from + commitBatch < moved.size()) {
                batch.flush(state);
            }
        }
        return left;
    }

    /** The snapshot from {@code start} to its end, then from its beginning to {@code start}. */
    private static Iterable<ExtensionPresence> rotated(List<ExtensionPresence> snapshot, int start) {
        if (start == 0) {
            return snapshot;
        }
        List<ExtensionPresence> tail = snapshot.subList(start, snapshot.size());
        List<ExtensionPresence> head = snapshot.subList(0, start);
        return () -> java.util.stream.Stream.concat(tail.stream(), head.stream()).iterator();
    }

    /** A present extension the snapshot no longer lists: its removal into the batch. */
    private void removed(String sourceId, Moved m, Map<String, ExtensionState> previous, Instant now, Batch batch) {
        long seq = m.known().sequence() + 1;
        batch.events.add(PresenceEvent.extensionEvent(EventType.REMOVED, sourceId, m.extension(), seq, now,
                lastOf(sourceId, m.extension(), previous), null, List.of()));
        batch.updates.put(m.extension(), new ExtensionState(null, seq));
        batch.tracked.put(m.extension(), new Tracked(seq, true, 0, 0));
    }

    /** One record whose fingerprint moved, against its previous full state: its event, if any, into the batch. */
    private void compare(String sourceId, Moved m, Map<String, ExtensionState> previous, Instant now, Batch batch) {
        ExtensionPresence after = m.after();
        Tracked known = m.known();
        if (!m.wasPresent()) {
            long seq = known == null ? 1 : known.sequence() + 1;
            batch.events.add(PresenceEvent.extensionEvent(EventType.ADDED, sourceId, after.extension(), seq, now,
                    null, after, List.of()));
            batch.updates.put(after.extension(), new ExtensionState(after, seq));
            batch.tracked.put(after.extension(), new Tracked(seq, false, m.hi(), m.lo()));
            return;
        }
        ExtensionPresence last = lastOf(sourceId, after.extension(), previous);
        List<String> changed = PresenceDiff.changedFields(last, after);
        if (changed.equals(DEVICES_ONLY) && PresenceDiff.devicesOnlyLearned(last, after)) {
            // state from before devices kept online/dnd: record what is now known, announce nothing
            batch.updates.put(after.extension(), new ExtensionState(after, known.sequence()));
            batch.tracked.put(after.extension(), new Tracked(known.sequence(), false, m.hi(), m.lo()));
        } else if (!changed.isEmpty()) {
            long seq = known.sequence() + 1;
            batch.events.add(PresenceEvent.extensionEvent(EventType.CHANGED, sourceId, after.extension(), seq,
                    now, last, after, changed));
            batch.updates.put(after.extension(), new ExtensionState(after, seq));
            batch.tracked.put(after.extension(), new Tracked(seq, false, m.hi(), m.lo()));
        } else {
            // equal in every compared field to what the store holds (the fingerprint in memory was taken
            // from the record before it went through the store's JSON): remember the store's fingerprint
            batch.tracked.put(after.extension(), new Tracked(known.sequence(), false, m.hi(), m.lo()));
        }
    }

    /**
     * The previous full record of an extension the detector knows. The store holds every committed
     * state, so a missing one means the store was changed behind this router's back: the cached state
     * is dropped and the poll fails; the next poll reads the truth back from the store.
     */
    private ExtensionPresence lastOf(String sourceId, String extension, Map<String, ExtensionState> previous) {
        ExtensionState stored = previous.get(extension);
        if (stored == null || stored.last() == null) {
            states.remove(sourceId);
            throw new StoreException("the store holds no current state of extension " + extension + " of source " + sourceId
                    + " although this router committed one; the source's state is read again from the store at the next poll");
        }
        return stored.last();
    }

    /**
     * Records a failed poll. Changes no extension state; returns the {@code pbx.source.down} event
     * when this failure is the one that crosses the threshold, else nothing. When the store itself
     * is what fails, the DOWN is counted (readiness, {@link #sourcesDown}) but its event can only be
     * committed by a later failure once the store is back; nothing is half-written meanwhile.
     */
    public List<PresenceEvent> onFailure(String sourceId, String problem, Instant now) {
        SourceIds.requireValid(sourceId);
        synchronized (lockOf(sourceId)) {
            int count = failures.merge(sourceId, 1, Integer::sum);
            if (count < downAfterFailures) {
                return List.of();
            }
            try {
                Fencing.Fence fence = fenceOf(sourceId);
                // the source's own row is enough: a source whose extension state cannot be read
                // (a damaged row) is still reported DOWN, and nothing about its extensions is cached
                Known known = states.get(sourceId);
                SourceState state = known != null ? new SourceState(sourceId, Map.of(), known.sequence, known.down)
                        : store.loadSource(sourceId).orElse(null);
                if (state != null && state.down()) {
                    return List.of();
                }
                long seq = (state == null ? 0 : state.sequence()) + 1;
                List<PresenceEvent> events = List.of(
                        PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, sourceId, seq, now, count, problem));
                commit(new EventStore.Commit(sourceId, null, Map.of(), seq, true, count, null, events), Map.of(), fence);
                return events;
            } catch (Fencing.LostLeadership e) {
                lostLeadership(sourceId, e);
                return List.of();
            } catch (StoreException e) {
                LOG.debug("Source {}: pbx.source.down not recorded yet, the store fails: {}", sourceId, e.getMessage());
                return List.of();
            }
        }
    }

    /**
     * Ids of the sources currently DOWN, sorted: reported DOWN in the store, or failing
     * {@code down-after-failures} polls in a row (also when the store is what fails).
     */
    public SortedSet<String> sourcesDown() {
        SortedSet<String> down = new TreeSet<>();
        states.forEach((id, st) -> {
            if (st.down) {
                down.add(id);
            }
        });
        failures.forEach((id, n) -> {
            if (n >= downAfterFailures) {
                down.add(id);
            }
        });
        return down;
    }

    /** Consecutive failed polls of a source since its last good one. */
    public int consecutiveFailures(String sourceId) {
        return failures.getOrDefault(sourceId, 0);
    }

    /** When the source last answered a poll that the detector could take (this process's life), else null. */
    public Instant lastGoodPoll(String sourceId) {
        return lastGoodPoll.get(sourceId);
    }

    /**
     * The last known state of every extension of a source (tombstones excluded), read from the store:
     * the detector itself keeps only fingerprints.
     */
    public List<ExtensionPresence> snapshotOf(String sourceId) {
        synchronized (lockOf(sourceId)) {
            return store.load(sourceId).map(s -> s.extensions().values().stream().map(ExtensionState::last)
                    .filter(p -> p != null).toList()).orElse(List.of());
        }
    }

    private void pollSucceeded(String sourceId, Instant now) {
        failures.remove(sourceId);
        lastGoodPoll.put(sourceId, now);
    }

    /**
     * In a cluster: the leadership this poll commits under; state cached under another one (this
     * router lost the source and took it back meanwhile) is dropped, so it is reloaded from the
     * store. Null when commits are not fenced (one router).
     */
    private Fencing.Fence fenceOf(String sourceId) {
        Fencing f = fencing;
        if (!f.enabled()) {
            return null;
        }
        Fencing.Fence fence = f.fence(Fencing.sourceNamespace(sourceId))
                .orElseThrow(() -> new Fencing.LostLeadership("source " + sourceId));
        if (!fence.equals(cachedUnder.put(sourceId, fence))) {
            states.remove(sourceId);
        }
        return fence;
    }

    /** Nothing was committed; whatever is cached is no longer this router's to trust. One line per loss. */
    private void lostLeadership(String sourceId, Fencing.LostLeadership e) {
        states.remove(sourceId);
        failures.remove(sourceId);
        backlogs.remove(sourceId); // the router that leads it now answers for its backlog
        if (cachedUnder.remove(sourceId) != null) {
            LOG.warn("Source {}: {}; this poll committed nothing (another router leads it now)", sourceId, e.getMessage());
        }
    }

    /**
     * One transaction; the in-memory state follows only once it is committed. {@code tracked} is what
     * memory keeps of the committed extensions (and of any whose fingerprint was refreshed).
     */
    private void commit(EventStore.Commit commit, Map<String, Tracked> tracked, Fencing.Fence fence) {
        prepareFirstCommit();
        try {
            if (fence == null) {
                store.commit(commit);
            } else {
                store.commit(commit, fence);
            }
        } catch (RuntimeException e) {
            // the outcome of a commit whose connection broke is unknown: read the truth back next time
            states.remove(commit.sourceId());
            throw e;
        }
        Known known = states.get(commit.sourceId());
        if (known == null) {
            if (!commit.extensions().isEmpty() || commit.sourceSequence() == 0 && !commit.down()) {
                // a baseline: what was committed is the whole state
                states.put(commit.sourceId(), new Known(tracked, commit.sourceSequence(), commit.down()));
            }
            return; // otherwise the next poll reads the state back from the store
        }
        known.apply(tracked);
        known.sequence = commit.sourceSequence();
        known.down = commit.down();
    }

    private void prepareFirstCommit() {
        if (committedBefore) {
            return;
        }
        synchronized (this) {
            if (!committedBefore) {
                beforeFirstCommit.run();
                committedBefore = true;
            }
        }
    }

    /** The cached state, else the stored one read as a stream: of each extension only its fingerprint is kept. */
    private Known stateOf(String sourceId, PresenceDigest digest) {
        Known s = states.get(sourceId);
        if (s == null) {
            Map<String, Tracked> extensions = new HashMap<>();
            Optional<SourceState> loaded = store.scan(sourceId, (ext, st) -> extensions.put(ext,
                    st.last() == null ? new Tracked(st.sequence(), true, 0, 0) : Tracked.of(digest.of(st.last()), st.sequence())));
            if (loaded.isPresent()) {
                s = new Known(extensions, loaded.get().sequence(), loaded.get().down());
                states.put(sourceId, s);
            }
        }
        return s;
    }

    /** A HashMap capacity that holds {@code n} entries without growing. */
    private static int capacity(int n) {
        return (int) (n / 0.75f) + 1;
    }

    private static String vendorOf(List<ExtensionPresence> snapshot) {
        return snapshot.isEmpty() ? null : snapshot.get(0).vendor();
    }

    /** The whole snapshot by extension, for a baseline (which records every one of them). */
    private static Map<String, ExtensionPresence> index(String sourceId, List<ExtensionPresence> snapshot) {
        Map<String, ExtensionPresence> byExt = new LinkedHashMap<>(capacity(snapshot.size()));
        Set<String> duplicates = new LinkedHashSet<>();
        for (ExtensionPresence p : snapshot) {
            requireSource(sourceId, p);
            if (byExt.putIfAbsent(p.extension(), p) != null) {
                duplicates.add(p.extension());
            }
        }
        if (!duplicates.isEmpty()) {
            throw twice(duplicates);
        }
        return byExt;
    }

    private static void requireSource(String sourceId, ExtensionPresence p) {
        if (!sourceId.equals(p.source())) {
            throw new PayloadException("snapshot of source " + sourceId + " contains a record of source " + p.source());
        }
    }

    private static PayloadException twice(Set<String> duplicates) {
        return new PayloadException("the PBX listed extension(s) " + duplicates + " more than once in one poll");
    }

    private Object lockOf(String sourceId) {
        return locks.computeIfAbsent(sourceId, k -> new Object());
    }

    /**
     * What memory keeps of one extension: the sequence of its last event, whether it is removed (a
     * tombstone, so a returning extension continues its sequence), and the fingerprint of its last
     * significant observation ({@link PresenceDigest}; zero for a tombstone). One 40-byte object.
     */
    private record Tracked(long sequence, boolean removed, long hi, long lo) {
        static Tracked of(PresenceDigest digest, long sequence) {
            return new Tracked(sequence, false, digest.hi(), digest.lo());
        }
    }

    /** The detector's own copy of a source's state; changed only after a successful commit. */
    private static final class Known {
        final Map<String, Tracked> extensions;
        long sequence;
        boolean down;
        /** How many of {@link #extensions} are present (not tombstones): a poll listing as many known ones lost none. */
        int live;
        /** Where in the snapshot the next poll starts reading: after the last record taken by the last poll that left some. */
        int resumeAt;

        Known(Map<String, Tracked> extensions, long sequence, boolean down) {
            this.extensions = extensions;
            this.sequence = sequence;
            this.down = down;
            extensions.values().forEach(t -> live += t.removed() ? 0 : 1);
        }

        /** Takes what a poll committed (or refreshed), keeping {@link #live} true. */
        void apply(Map<String, Tracked> tracked) {
            tracked.forEach((ext, now) -> {
                Tracked before = extensions.put(ext, now);
                live += (now.removed() ? 0 : 1) - (before == null || before.removed() ? 0 : 1);
            });
        }
    }
}
