package pbx.presence.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map of raw vendor fields ({@code vendorStatus} and the raw objects inside it) that keeps
 * the order the fields were added in, held in two arrays. A poll builds a few of these for every
 * extension, each with a handful of keys; a {@code LinkedHashMap} per map (a table, an entry object
 * per key, the links) was a large part of translating 100,000 extensions (issue 13). Equal to any map
 * with the same entries, like every {@link Map}. Null keys are not allowed; null values are.
 */
public final class VendorFields extends AbstractMap<String, Object> {

    private static final VendorFields EMPTY = new VendorFields(new String[0], new Object[0], 0);

    private final String[] keys;
    private final Object[] values;
    private final int size;

    private VendorFields(String[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    /** The map itself when it is one already, else an ordered copy. */
    public static VendorFields copyOf(Map<String, ?> source) {
        if (source instanceof VendorFields v) {
            return v;
        }
        Builder b = new Builder(source.size());
        source.forEach(b::put);
        return b.build();
    }

    public static Builder builder(int expectedSize) {
        return new Builder(expectedSize);
    }

    /** Collects fields in order; putting a key again replaces its value in place, as a LinkedHashMap does. */
    public static final class Builder {
        private String[] keys;
        private Object[] values;
        private int size;
        /** True once build() handed the arrays to a map: the next change copies them first. */
        private boolean shared;

        private Builder(int expectedSize) {
            keys = new String[Math.max(1, expectedSize)];
            values = new Object[keys.length];
        }

        public Builder put(String key, Object value) {
            Objects.requireNonNull(key, "key");
            if (shared) {
                keys = keys.clone();
                values = values.clone();
                shared = false;
            }
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    values[i] = value;
                    return this;
                }
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            size++;
            return this;
        }

        /** The fields so far; the builder can go on (it then works on a copy). */
        public VendorFields build() {
            if (size == 0) {
                return EMPTY;
            }
            shared = true;
            return new VendorFields(keys, values, size);
        }
    }

    private int indexOf(Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }
}
