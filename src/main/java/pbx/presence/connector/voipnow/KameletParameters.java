package pbx.presence.connector.voipnow;

/**
 * Reads kamelet parameters with messages that name the parameter.
 *
 * <p>The factory methods take {@code Object}, not {@code String}: Camel's bean factory types each
 * argument by how it looks before choosing a method, so a client secret or user id made of digits
 * arrives as a Number and {@code "false"} as a Boolean, and neither would match a String parameter
 * (the route would fail with only "Cannot create bean instance using factory method"). An Object
 * parameter takes anything; these helpers then read it as text.
 */
final class KameletParameters {

    private KameletParameters() {
    }

    /** The value as text; null stays null. */
    static String text(Object value) {
        return value == null ? null : value.toString();
    }

    static long positive(String name, Object value) {
        String t = text(value);
        try {
            long v = Long.parseLong(t == null ? "" : t.strip());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("VoipNow source parameter " + name + " must be a positive whole number, was '" + t + "'");
    }

    static int positiveInt(String name, Object value) {
        long v = positive(name, value);
        if (v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("VoipNow source parameter " + name + " is too large, was '" + value + "'");
        }
        return (int) v;
    }

    static boolean bool(String name, Object value) {
        String v = value == null ? "" : value.toString().strip();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("VoipNow source parameter " + name + " must be true or false, was '" + value + "'");
    }
}
