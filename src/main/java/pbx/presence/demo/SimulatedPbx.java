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
    /** Increases when the set of numbers changes (not when an extension's state does). */
    private final AtomicLong structure = new AtomicLong();
    /** The numbers in order, as of {@link #structure} {@code numbersAt}: pages are read through it. */
    private volatile Numbers numbers = new Numbers(-1, List.of());

    private record Numbers(long structure, List<String> list) {
    }

    /** Adds or replaces an extension; returns it. */
    public SimulatedExtension put(SimulatedExtension extension) {
        Objects.requireNonNull(extension, "extension");
        if (extensions.put(extension.number(), extension) == null) {
            structure.incrementAndGet();
        }
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
            structure.incrementAndGet();
            version.incrementAndGet();
        }
        return Optional.ofNullable(removed);
    }

    /** A snapshot of every extension, ordered by number. */
    public List<SimulatedExtension> all() {
        return new ArrayList<>(extensions.values());
    }

    /**
     * Up to {@code count} extensions from index {@code start} of {@link #all()}'s order, without
     * copying the whole PBX: the simulators serve a million extensions in pages, and a copy per page
     * made the simulator, not the router, the cost of a large poll.
     */
    public List<SimulatedExtension> page(int start, int count) {
        List<String> ordered = numbers();
        List<SimulatedExtension> page = new ArrayList<>(Math.max(0, Math.min(count, ordered.size() - start)));
        for (int i = start; i < ordered.size() && page.size() < count; i++) {
            SimulatedExtension e = extensions.get(ordered.get(i));
            if (e != null) {
                page.add(e);
            }
        }
        return page;
    }

    private List<String> numbers() {
        long now = structure.get();
        Numbers n = numbers;
        if (n.structure() != now) {
            n = new Numbers(now, List.copyOf(extensions.keySet()));
            numbers = n;
        }
        return n.list();
    }

    public void clear() {
        extensions.clear();
        structure.incrementAndGet(); // after the change, as put and remove do: a page read meanwhile is rebuilt
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
