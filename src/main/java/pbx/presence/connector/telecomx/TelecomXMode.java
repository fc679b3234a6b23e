package pbx.presence.connector.telecomx;

import java.util.Locale;

/** How a TelecomX source lists its extensions (kamelet option {@code mode}). */
public enum TelecomXMode {
    /**
     * {@code GET /pbx/app/employees?calls=true&standalone=true}: one request per poll with every
     * employee's presence, extensions, extension state and current calls (the preferred mode).
     */
    EMPLOYEES,
    /**
     * {@code GET /pbx/extension?offset&limit&includePhones=true}, paged to completion: extension
     * settings and phones, but no employee presence and no line state.
     */
    EXTENSIONS;

    /** {@code employees} or {@code extensions}, any case. */
    public static TelecomXMode parse(String text) {
        String t = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        for (TelecomXMode m : values()) {
            if (m.name().equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("TelecomX mode must be 'employees' or 'extensions', was '" + text + "'");
    }
}
