package pbx.presence.connector;

import pbx.presence.connector.http.VendorHttp;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A source kamelet's parameters as the exact text the user wrote, and the one reader every
 * connector uses to turn them into values, with one error wording that names the source, the
 * parameter and the bad value: {@code source 'hq': parameter pageSize must be a whole number from 1
 * to 5000, was 'lots'}.
 *
 * <p>How a kamelet binds them (one convention for every kamelet): a bean {@code parameters} of this
 * type whose {@code properties:} list every parameter, then each connector bean made from it by a
 * factory with the single argument {@code "#bean:{{parameters}}"}. Bean properties reach a map as
 * they are; factory arguments would not: Camel joins them into one comma-separated text, splits it
 * again (a secret with a comma breaks) and types each part by its look ({@code 900} a number,
 * {@code false} a boolean), so a factory taking text finds no match for a numeric client id.
 *
 * <p>{@link #toString()} names the parameters, never their values (secrets are among them).
 */
public final class KameletParameters extends AbstractMap<String, String> {

    private final Map<String, String> values = new LinkedHashMap<>();

    public KameletParameters() {
    }

    /** Parameters given in code (tests, tools): name, value, name, value … */
    public static KameletParameters of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs: " + Arrays.toString(namesAndValues));
        }
        KameletParameters p = new KameletParameters();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            p.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return p;
    }

    /** Called by Camel for each {@code properties:} entry. */
    @Override
    public String put(String name, String value) {
        return values.put(name, value);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return values.entrySet();
    }

    /** The source id, for messages and for the connector (checked by SourceRouteChecks at start). */
    public String sourceId() {
        String id = text("sourceId");
        return id == null ? "?" : id;
    }

    /** The value without surrounding blanks; null when absent or blank. */
    public String text(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The value, or {@code dflt} when absent or blank. */
    public String text(String name, String dflt) {
        String v = text(name);
        return v == null ? dflt : v;
    }

    /** A value that must be given. */
    public String required(String name) {
        String v = text(name);
        if (v == null) {
            throw new IllegalArgumentException(prefix(name) + " is required");
        }
        return v;
    }

    /**
     * A credential as given, only a trailing line break removed (a value read from a mounted file);
     * null when absent or blank, so the connector says it is required. Never repeated in a message.
     */
    public String secret(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v.replaceAll("[\\r\\n]+$", "");
    }

    /** A whole number from min to max; {@code dflt} when absent or blank. */
    public long number(String name, long dflt, long min, long max) {
        String v = text(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name, max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                ? "a whole number of at least " + min : "a whole number from " + min + " to " + max);
    }

    /** {@link #number} for an int. */
    public int integer(String name, int dflt, int min, int max) {
        return (int) number(name, dflt, min, max);
    }

    /** true or false (any case); {@code dflt} when absent or blank. */
    public boolean flag(String name, boolean dflt) {
        String v = text(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "true or false");
        };
    }

    /** A comma-separated list without blank entries; empty when absent. */
    public List<String> list(String name) {
        String v = text(name);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /**
     * The HTTP client settings every HTTP connector shares: {@code timeoutMillis} (connect and whole
     * response), {@code maxBodyBytes}, {@code insecureTls}, {@code trustCertificates} (a PEM file).
     */
    public VendorHttp.Settings http(Duration defaultTimeout) {
        VendorHttp.Settings d = VendorHttp.Settings.defaults();
        Duration timeout = Duration.ofMillis(number("timeoutMillis", defaultTimeout.toMillis(), 1, 3_600_000));
        boolean insecure = flag("insecureTls", false);
        String trust = text("trustCertificates");
        if (insecure && trust != null) {
            throw invalid("insecureTls", "false when trustCertificates is set (trust the company CA instead of anyone)");
        }
        return new VendorHttp.Settings(timeout, timeout, number("maxBodyBytes", d.maxBodyBytes(), 1, Integer.MAX_VALUE - 8),
                d.maxRetryAfter(), !insecure, trust);
    }

    /**
     * Makes a connector bean; an IllegalArgumentException from its own checks (a URL, a path
     * template) gets the source prefix, so every parameter error reads the same way.
     */
    public <T> T build(java.util.function.Supplier<T> bean) {
        try {
            return bean.get();
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("source '")) {
                throw e;
            }
            throw new IllegalArgumentException("source '" + sourceId() + "': " + m, e);
        }
    }

    /** An error in the one wording, for checks a connector makes itself. */
    public IllegalArgumentException invalid(String name, String mustBe) {
        return new IllegalArgumentException(prefix(name) + " must be " + mustBe + ", was '" + values.get(name) + "'");
    }

    private String prefix(String name) {
        return "source '" + sourceId() + "': parameter " + name;
    }

    @Override
    public String toString() {
        return "KameletParameters" + values.keySet();
    }
}
