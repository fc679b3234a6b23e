package pbx.presence.config;

import org.apache.camel.CamelContext;

/**
 * Checks the sink URLs in {@code application.properties} at start: the webhook sink POSTs with
 * camel-http, so {@code presence.webhook.url} must be an http(s) URL; any other Camel URI there
 * ({@code file:}, {@code log:}, {@code exec:}) would be called with every event and fail each one.
 */
public final class SinkUrlChecks {

    private SinkUrlChecks() {
    }

    /** @throws ConfigurationException naming the key when a sink URL is not acceptable */
    public static void check(CamelContext context) {
        String url = context.getPropertiesComponent().resolveProperty("presence.webhook.url").map(String::strip).orElse("");
        if (url.isEmpty()) {
            return;
        }
        try {
            HttpUrls.requireHttp(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("application.properties (or its overrides): presence.webhook.url " + e.getMessage());
        }
    }
}
