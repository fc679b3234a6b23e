package pbx.presence.config;

/**
 * A configuration mistake the router refuses to start with. The message names the file, the key or
 * route, and what is wrong, and never a secret's value; {@link pbx.presence.App} prints it as its
 * one line on stderr before exiting ({@link StartFailure}).
 */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
