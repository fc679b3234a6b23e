package pbx.presence.connector.telecomx;

/**
 * The API user's login, as a bean the kamelet fills through {@code properties} (setters). Camel
 * passes factory-method arguments as one comma-separated text whose parts it types by their look,
 * so a password with a comma, quotes, or only digits would not survive that route; bean
 * properties are bound as they are. {@link #toString()} never shows either value.
 */
public final class TelecomXCredentials {

    private String username;
    private String password;

    public TelecomXCredentials() {
    }

    public TelecomXCredentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    @Override
    public String toString() {
        return "TelecomXCredentials[redacted]";
    }
}
