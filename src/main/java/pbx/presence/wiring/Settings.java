package pbx.presence.wiring;

import org.apache.camel.CamelContext;

/** Reads typed values from Camel's properties with defaults, naming the key when one is wrong. */
public final class Settings {
    private final CamelContext context;

    public Settings(CamelContext context) {
        this.context = context;
    }

    public String get(String key, String def) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::strip).orElse(def);
    }

    public int integer(String key, int def) {
        String v = get(key, null);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
        }
    }

    public boolean bool(String key, boolean def) {
        String v = get(key, null);
        if (v == null || v.isEmpty()) {
            return def;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** A duration such as 7d, 12h, 30m, 45s or an ISO-8601 PT… value. */
    public java.time.Duration duration(String key, java.time.Duration def) {
        String v = get(key, null);
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            if (v.matches("\\d+[dhms]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 'd' -> java.time.Duration.ofDays(n);
                    case 'h' -> java.time.Duration.ofHours(n);
                    case 'm' -> java.time.Duration.ofMinutes(n);
                    default -> java.time.Duration.ofSeconds(n);
                };
            }
            return java.time.Duration.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be a duration such as 7d, 12h, 30m or 45s, was '" + v + "'");
        }
    }

    /** Sets a property the YAML routes read (e.g. a computed autoStartup flag). */
    public void override(String key, String value) {
        context.getPropertiesComponent().addOverrideProperty(key, value);
    }
}
