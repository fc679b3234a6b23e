package pbx.presence.connector.telphin;

import pbx.presence.model.Presence;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a Telphin status name means as a canonical {@link Presence}. Telphin statuses are named by
 * each client (seed 003 documents only what they allow, not what they are called), so the name is a
 * site choice and this mapping is configurable per source:
 * <ol>
 *   <li>an explicit entry ({@code statusPresence}, e.g. {@code Lunch=LUNCH;Holiday=HOLIDAY}), names
 *       compared case-insensitively, wins;</li>
 *   <li>otherwise a name that fully matches {@code availableStatuses} (case-insensitive; by default
 *       {@value #DEFAULT_AVAILABLE}) is AVAILABLE;</li>
 *   <li>any other name is CUSTOM, which the availability rule counts as away; a missing or blank
 *       name is UNKNOWN.</li>
 * </ol>
 * Whether calls get through is not decided here: that is the status's {@code property_list}.
 */
public final class TelphinPresenceMapping {

    /** Status names read as AVAILABLE unless configured otherwise (English and Russian defaults). */
    public static final String DEFAULT_AVAILABLE = "available|online|ready|доступен|в сети|на месте";

    private final Pattern available;
    private final Map<String, Presence> explicit;

    public TelphinPresenceMapping(String availableStatuses, Map<String, Presence> explicit) {
        String regex = availableStatuses == null || availableStatuses.isBlank() ? DEFAULT_AVAILABLE : availableStatuses.strip();
        try {
            this.available = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("availableStatuses is not a regular expression: " + e.getDescription(), e);
        }
        Map<String, Presence> m = new LinkedHashMap<>();
        Objects.requireNonNull(explicit, "explicit").forEach((k, v) -> m.put(key(k), Objects.requireNonNull(v, k)));
        this.explicit = Map.copyOf(m);
    }

    public static TelphinPresenceMapping defaults() {
        return new TelphinPresenceMapping(DEFAULT_AVAILABLE, Map.of());
    }

    /**
     * Factory for configuration text (kamelet parameters).
     *
     * @param availableStatuses regular expression a status name must fully match to be AVAILABLE; blank = default
     * @param statusPresence    {@code name=PRESENCE} pairs separated by ';' or ','; blank or {@code none} = none
     * @throws IllegalArgumentException naming the entry that is malformed or names no canonical presence
     */
    public static TelphinPresenceMapping fromOptions(String availableStatuses, String statusPresence) {
        Map<String, Presence> explicit = new LinkedHashMap<>();
        String spec = statusPresence == null ? "" : statusPresence.strip();
        if (!spec.isEmpty() && !spec.equalsIgnoreCase("none")) {
            for (String entry : spec.split("[;,]")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.lastIndexOf('=');
                if (eq <= 0 || eq == entry.length() - 1) {
                    throw new IllegalArgumentException("statusPresence entry '" + entry.strip()
                            + "' must look like 'Status name=PRESENCE', e.g. 'Lunch=LUNCH'");
                }
                String name = entry.substring(0, eq).strip();
                String value = entry.substring(eq + 1).strip().toUpperCase(Locale.ROOT);
                try {
                    explicit.put(name, Presence.valueOf(value));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("statusPresence entry '" + entry.strip() + "': '" + value
                            + "' is not one of " + java.util.Arrays.toString(Presence.values()), e);
                }
            }
        }
        return new TelphinPresenceMapping(availableStatuses, explicit);
    }

    /** The presence a status name stands for. */
    public Presence presenceOf(String statusName) {
        if (statusName == null || statusName.isBlank()) {
            return Presence.UNKNOWN;
        }
        Presence p = explicit.get(key(statusName));
        if (p != null) {
            return p;
        }
        return available.matcher(statusName.strip()).matches() ? Presence.AVAILABLE : Presence.CUSTOM;
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "TelphinPresenceMapping[available=" + available.pattern() + ", explicit=" + explicit + "]";
    }
}
