package pbx.presence.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The shared state of a simulated PBX: extension number → {@link SimulatedExtension}. Every
 * simulator serving the same instance sees every change at once. Thread-safe; each extension
 * is replaced atomically.
 */
public final class SimulatedPbx {

    /** Orders "99" before "100": by length, then lexicographically. */
    private static final Comparator<String> NUMBER_ORDER =
            Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder());

    private final ConcurrentSkipListMap<String, SimulatedExtension> extensions = new ConcurrentSkipListMap<>(NUMBER_ORDER);
    private final AtomicLong nextCallId = new AtomicLong(98741);
    private final AtomicLong version = new AtomicLong();

    /** Adds or replaces an extension; returns it. */
    public SimulatedExtension put(SimulatedExtension extension) {
        Objects.requireNonNull(extension, "extension");
        extensions.put(extension.number(), extension);
        version.incrementAndGet();
        return extension;
    }

    public Optional<SimulatedExtension> get(String number) {
        return Optional.ofNullable(extensions.get(number));
    }

    /**
     * Atomically replaces an extension with {@code change.apply(current)}.
     *
     * @return the new state
     * @throws NoSuchElementException when there is no such extension
     */
    public SimulatedExtension update(String number, UnaryOperator<SimulatedExtension> change) {
        SimulatedExtension next = extensions.computeIfPresent(number, (k, current) -> {
            SimulatedExtension changed = Objects.requireNonNull(change.apply(current), "change returned null");
            if (!changed.number().equals(number)) {
                throw new IllegalArgumentException("update must not change the extension number " + number);
            }
            return changed;
        });
        if (next == null) {
            throw new NoSuchElementException("no simulated extension " + number);
        }
        version.incrementAndGet();
        return next;
    }

    public Optional<SimulatedExtension> remove(String number) {
        SimulatedExtension removed = extensions.remove(number);
        if (removed != null) {
            version.incrementAndGet();
        }
        return Optional.ofNullable(removed);
    }

    /** A snapshot of every extension, ordered by number. */
    public List<SimulatedExtension> all() {
        return new ArrayList<>(extensions.values());
    }

    public void clear() {
        extensions.clear();
        version.incrementAndGet();
    }

    public int size() {
        return extensions.size();
    }

    /** A new, never reused call id (starts at 98741, like the seed's example). */
    public long nextCallId() {
        return nextCallId.getAndIncrement();
    }

    /** Increases on every put, update, remove and clear. */
    public long version() {
        return version.get();
    }
}
