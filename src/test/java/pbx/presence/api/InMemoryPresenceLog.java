package pbx.presence.api;

import pbx.presence.change.PresenceLog;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the store's read side while the real store is built (branch h-store): an ordered
 * in-memory log, fed directly by the test, with the same contract as {@link PresenceLog}.
 */
final class InMemoryPresenceLog implements PresenceLog {

    private final List<LoggedEvent> events = new ArrayList<>();
    private final Map<String, StoredExtension> state = new TreeMap<>();
    private final Map<String, SourceStatus> sources = new TreeMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long head;
    private long oldest = 1;

    /** Records a new state for an extension: an added event the first time, a changed event after. */
    LoggedEvent put(ExtensionPresence after) {
        LoggedEvent e;
        synchronized (this) {
            String key = after.source() + "/" + after.extension();
            StoredExtension before = state.get(key);
            long sequence = before == null ? 1 : before.sequence() + 1;
            PresenceEvent event = PresenceEvent.extensionEvent(before == null ? EventType.ADDED : EventType.CHANGED, after.source(),
                    after.extension(), sequence, Instant.now(), before == null ? null : before.presence(), after,
                    before == null ? null : List.of("availability"));
            e = log(event, after.source(), after.extension(), sequence);
            state.put(key, new StoredExtension(after.source(), after, sequence));
            sources.putIfAbsent(after.source(), new SourceStatus(after.source(), after.vendor(), false, Instant.now(), 0, 0));
        }
        listeners.forEach(Runnable::run);
        return e;
    }

    /** Forgets everything up to and including {@code position}, as retention would. */
    synchronized void prune(long position) {
        events.removeIf(e -> e.position() <= position);
        oldest = position + 1;
    }

    synchronized void source(SourceStatus status) {
        sources.put(status.sourceId(), status);
    }

    private LoggedEvent log(PresenceEvent event, String source, String extension, long sequence) {
        try {
            LoggedEvent e = new LoggedEvent(++head, source, extension, sequence, event.type(), event.time(),
                    Json.MAPPER.writeValueAsString(event));
            events.add(e);
            return e;
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public synchronized long headPosition() {
        return head;
    }

    @Override
    public synchronized long oldestPosition() {
        return oldest;
    }

    @Override
    public synchronized List<LoggedEvent> eventsAfter(long after, int limit, String sourceId, String type) {
        return events.stream().filter(e -> e.position() > after)
                .filter(e -> sourceId == null || sourceId.equals(e.sourceId()))
                .filter(e -> type == null || type.equals(e.type()))
                .limit(limit).toList();
    }

    @Override
    public synchronized Snapshot snapshot() {
        return new Snapshot(head, List.copyOf(state.values()));
    }

    @Override
    public synchronized Optional<StoredExtension> extension(String sourceId, String extension) {
        return Optional.ofNullable(state.get(sourceId + "/" + extension));
    }

    @Override
    public synchronized List<SourceStatus> sources() {
        return List.copyOf(sources.values());
    }

    @Override
    public void onCommit(Runnable listener) {
        listeners.add(listener);
    }
}
