package pbx.presence.connector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reports a vendor value nobody documented (an enum value, a status code) once per source, field
 * and value, not on every poll. Translators map such values to UNKNOWN and keep the raw value in
 * {@code vendorStatus}; this is how an operator learns about it. Shared by every connector.
 */
public final class UnknownValues {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.connector");
    private static final int MAX_REMEMBERED = 10_000;
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private UnknownValues() {
    }

    /** Logs one WARN the first time this source sends this value for this field. */
    public static void report(String sourceId, String vendor, String field, Object value) {
        String key = sourceId + '\u0000' + field + '\u0000' + value;
        if (SEEN.size() < MAX_REMEMBERED && SEEN.add(key)) {
            LOG.warn("Source {} ({}) sent an undocumented {} value '{}': mapped to UNKNOWN, raw value kept in vendorStatus",
                    sourceId, vendor, field, value);
        }
    }
}
