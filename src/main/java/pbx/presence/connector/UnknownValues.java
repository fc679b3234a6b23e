package pbx.presence.connector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.model.Dimension;
import pbx.presence.model.ExtensionPresence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every connector does with a vendor value nobody documented (an enum value, a status code),
 * the same way for every vendor and dimension: the translator keeps the raw value in
 * {@code vendorStatus}, {@link #unrecognised} marks the dimension on the record (so that
 * {@link pbx.presence.model.AvailabilityRule} never counts the extension as AVAILABLE on its
 * strength, and not as accepting calls when the value decides whether calls ring), and one WARN is
 * logged per source, field and value, not on every poll: this is how an operator learns about it.
 */
public final class UnknownValues {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.connector");
    private static final int MAX_REMEMBERED = 10_000;
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private UnknownValues() {
    }

    /**
     * Marks {@code dimension} as unrecognised on the record being built and reports the value once.
     *
     * @param field the vendor's field name, as in {@code vendorStatus}
     */
    public static void unrecognised(ExtensionPresence.Builder b, Dimension dimension, String sourceId, String vendor,
                                    String field, Object value) {
        b.unrecognised(dimension);
        report(sourceId, vendor, field, value);
    }

    /** Logs one WARN the first time this source sends this value for this field. */
    public static void report(String sourceId, String vendor, String field, Object value) {
        String key = sourceId + '\u0000' + field + '\u0000' + value;
        if (SEEN.size() < MAX_REMEMBERED && SEEN.add(key)) {
            LOG.warn("Source {} ({}) sent an undocumented {} value '{}': not counted as available "
                            + "(reason UNRECOGNISED_VENDOR_VALUE), raw value kept in vendorStatus",
                    sourceId, vendor, field, value);
        }
    }
}
