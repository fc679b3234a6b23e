package pbx.presence.connector.threecx;

import pbx.presence.model.Presence;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Maps a 3CX forwarding-profile name to {@link Presence}; shared by the {@code 3cx-http},
 * {@code 3cx-callcontrol} and {@code 3cx-v20} connectors.
 *
 * <table>
 *   <caption>profile names</caption>
 *   <tr><th>profile name</th><th>presence</th></tr>
 *   <tr><td>Available</td><td>AVAILABLE</td></tr>
 *   <tr><td>Away</td><td>AWAY</td></tr>
 *   <tr><td>Out of office, OutOfOffice</td><td>OUT_OF_OFFICE</td></tr>
 *   <tr><td>Do Not Disturb, DND (the V18+ name of the out-of-office profile)</td><td>DND</td></tr>
 *   <tr><td>Custom 1, Available2 (v20), Lunch (V18+ name)</td><td>{@code custom1}, default CUSTOM</td></tr>
 *   <tr><td>Custom 2, OutOfOffice2 (v20), Business Trip (V18+ name)</td><td>{@code custom2}, default CUSTOM</td></tr>
 *   <tr><td>anything else, null or blank</td><td>UNKNOWN; a name that is set but not recognised
 *       ({@link #recognises}) is marked unrecognised by the translator, so it is never available</td></tr>
 * </table>
 *
 * Names compare ignoring case, whitespace, '-' and '_' ("out of office", "OutOfOffice" and
 * "OUT_OF_OFFICE" are one name). The custom profiles are configurable per source because sites
 * use them differently ("Custom 1" is the HTTP API's "not ready" profile); CUSTOM is what
 * {@link pbx.presence.model.AvailabilityRule} counts as away. The {@code presenceLabel} of a record
 * is always the vendor's own profile name, never this mapping's result. Immutable, thread-safe.
 */
public final class ThreeCxProfileMapping {

    /** What a custom profile maps to when the source does not configure it. */
    public static final Presence DEFAULT_CUSTOM = Presence.CUSTOM;

    private static final ThreeCxProfileMapping DEFAULTS = new ThreeCxProfileMapping(DEFAULT_CUSTOM, DEFAULT_CUSTOM);

    private final Presence custom1;
    private final Presence custom2;

    /**
     * @param custom1 presence of the "Custom 1" / "Available2" profile
     * @param custom2 presence of the "Custom 2" / "OutOfOffice2" profile
     */
    public ThreeCxProfileMapping(Presence custom1, Presence custom2) {
        this.custom1 = Objects.requireNonNull(custom1, "custom1");
        this.custom2 = Objects.requireNonNull(custom2, "custom2");
    }

    /** Both custom profiles map to CUSTOM. */
    public static ThreeCxProfileMapping defaults() {
        return DEFAULTS;
    }

    /**
     * Builds a mapping from configuration strings (kamelet parameters, properties): each a
     * {@link Presence} name in any case, for example {@code "available"} or {@code "out_of_office"};
     * null or blank means {@link #DEFAULT_CUSTOM}.
     *
     * @throws IllegalArgumentException naming the option and the allowed values when a value is not a Presence
     */
    public static ThreeCxProfileMapping fromOptions(String custom1, String custom2) {
        return new ThreeCxProfileMapping(option("custom1", custom1), option("custom2", custom2));
    }

    /**
     * The presence of a profile name: UNKNOWN for null, blank and a name this mapping does not
     * know. A profile that is set but unrecognised must not come out AVAILABLE (seed 000's trap
     * again): translators ask {@link #recognises} and mark it, and the availability rule does the
     * rest, the same way as for every other vendor. The raw name stays in presenceLabel.
     */
    public Presence presenceOf(String profileName) {
        if (profileName == null || profileName.isBlank()) {
            return Presence.UNKNOWN;
        }
        return switch (normalise(profileName)) {
            case "available" -> Presence.AVAILABLE;
            case "away" -> Presence.AWAY;
            case "outofoffice" -> Presence.OUT_OF_OFFICE;
            case "donotdisturb", "dnd" -> Presence.DND;
            case "custom1", "available2", "lunch" -> custom1;
            case "custom2", "outofoffice2", "businesstrip" -> custom2;
            default -> Presence.UNKNOWN;
        };
    }

    /** True when the name is blank (nothing sent) or one of the profile names in the table above. */
    public boolean recognises(String profileName) {
        return profileName == null || profileName.isBlank() || DEFAULTS_RECOGNISE.presenceOf(profileName) != Presence.UNKNOWN;
    }

    /** Maps both custom profiles to something other than UNKNOWN, so only a foreign name gives UNKNOWN. */
    private static final ThreeCxProfileMapping DEFAULTS_RECOGNISE = new ThreeCxProfileMapping(Presence.CUSTOM, Presence.CUSTOM);

    public Presence custom1() {
        return custom1;
    }

    public Presence custom2() {
        return custom2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThreeCxProfileMapping m && m.custom1 == custom1 && m.custom2 == custom2;
    }

    @Override
    public int hashCode() {
        return Objects.hash(custom1, custom2);
    }

    @Override
    public String toString() {
        return "ThreeCxProfileMapping[custom1=" + custom1 + ", custom2=" + custom2 + "]";
    }

    /** Lower case without whitespace, '-' or '_'. */
    static String normalise(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c) && c != '-' && c != '_') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    private static Presence option(String option, String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_CUSTOM;
        }
        String wanted = value.strip().replace(' ', '_').replace('-', '_').toUpperCase(Locale.ROOT);
        for (Presence p : Presence.values()) {
            if (p.name().equals(wanted)) {
                return p;
            }
        }
        throw new IllegalArgumentException("3CX profile mapping option " + option + "='" + value
                + "' is not a presence; use one of " + Arrays.stream(Presence.values()).map(Enum::name)
                .collect(Collectors.joining(", ")));
    }
}
