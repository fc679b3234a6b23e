package pbx.presence.delivery;

import pbx.presence.model.ExtensionPresence;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a field of {@link ExtensionPresence} by its name (the record component name, which is also
 * its JSON property name and what {@code data.changed} lists). The accessors are looked up once.
 */
public final class PresenceFields {

    private static final Map<String, Method> ACCESSORS;

    static {
        Map<String, Method> m = new LinkedHashMap<>();
        for (RecordComponent c : ExtensionPresence.class.getRecordComponents()) {
            m.put(c.getName(), c.getAccessor());
        }
        ACCESSORS = Collections.unmodifiableMap(m);
    }

    private PresenceFields() {
    }

    /** All field names, in declaration order. */
    public static List<String> names() {
        return List.copyOf(ACCESSORS.keySet());
    }

    /** True when {@code name} is a field of {@link ExtensionPresence}. */
    public static boolean isField(String name) {
        return name != null && ACCESSORS.containsKey(name);
    }

    /**
     * The declared type of field {@code name} (e.g. {@code Boolean.class} for a nullable flag,
     * {@code boolean.class} for a primitive one).
     *
     * @throws IllegalArgumentException when {@code name} is not a field
     */
    public static Class<?> type(String name) {
        return accessor(name).getReturnType();
    }

    private static Method accessor(String name) {
        Method accessor = name == null ? null : ACCESSORS.get(name);
        if (accessor == null) {
            throw new IllegalArgumentException("ExtensionPresence has no field '" + name + "'");
        }
        return accessor;
    }

    /**
     * The value of field {@code name} of {@code p} (boxed for primitives; may be null).
     *
     * @throws IllegalArgumentException when {@code name} is not a field
     */
    public static Object value(ExtensionPresence p, String name) {
        Objects.requireNonNull(p, "presence");
        Method accessor = accessor(name);
        try {
            return accessor.invoke(p);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }
}
