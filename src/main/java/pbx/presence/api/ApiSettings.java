package pbx.presence.api;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code presence.api.*} keys of {@code application.properties}, read once at start.
 *
 * @param tokens bearer tokens accepted (several while rotating); never logged
 * @param tokenOnLoopback whether loopback clients need a token too (a reverse proxy on this host)
 * @param corsOrigins browser origins allowed to call the API; empty: CORS off
 * @param bufferBytes bytes of encoded events the live stream keeps in memory for all its clients
 */
public record ApiSettings(int port, String host, List<String> tokens, boolean tokenOnLoopback, List<String> corsOrigins,
                          int maxLimit, Duration heartbeat, Duration slowClient, long bufferBytes) {

    private static final Logger LOG = LoggerFactory.getLogger(ApiSettings.class);

    /** The previous release's key: the ring was counted in events (then up to ~60 MB), now in bytes. */
    private static final String RETIRED_BUFFER_KEY = "presence.api.stream.buffer-events";

    public ApiSettings {
        tokens = List.copyOf(tokens);
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** Reads the settings; an inconsistent combination stops the router with one line naming the key. */
    public static ApiSettings from(CamelContext context) {
        var pc = context.getPropertiesComponent();
        java.util.function.BiFunction<String, String, String> get = (k, d) -> pc.resolveProperty(k).map(String::strip).orElse(d);
        ApiSettings s = new ApiSettings(
                number(get, "presence.api.port", 8088),
                get.apply("presence.api.host", "127.0.0.1"),
                words(get.apply("presence.api.token", ""), "\\s+"),
                Boolean.parseBoolean(get.apply("presence.api.token-on-loopback", "false")),
                words(get.apply("presence.api.cors-origins", ""), "\\s*,\\s*"),
                number(get, "presence.api.max-limit", 1000),
                Duration.ofSeconds(number(get, "presence.api.stream.heartbeat-seconds", 15)),
                Duration.ofSeconds(number(get, "presence.api.stream.slow-client-seconds", 30)),
                1024L * number(get, "presence.api.stream.buffer-kilobytes", 4096));
        if (pc.resolveProperty(RETIRED_BUFFER_KEY).isPresent()) {
            LOG.warn("{} is no longer read: the live stream's shared buffer is now presence.api.stream.buffer-kilobytes "
                    + "(default 4096); remove the old line from application.properties", RETIRED_BUFFER_KEY);
        }
        if (s.tokens.isEmpty() && (s.tokenOnLoopback || !isLoopback(s.host))) {
            throw new IllegalArgumentException("presence.api.token must be set (e.g. {{env:PBX_API_TOKEN}}) when the API listens on "
                    + s.host + (s.tokenOnLoopback ? " with presence.api.token-on-loopback=true" : ", which is not loopback"));
        }
        return s;
    }

    /** Whether {@code host} (an address literal or name) is this machine's loopback interface. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static List<String> words(String value, String separator) {
        return Arrays.stream(value.strip().split(separator)).filter(w -> !w.isBlank()).toList();
    }

    private static int number(java.util.function.BiFunction<String, String, String> get, String key, int def) {
        String v = get.apply(key, "");
        if (v.isEmpty()) {
            return def;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of 1 or more, was '" + v + "'");
        }
    }
}
