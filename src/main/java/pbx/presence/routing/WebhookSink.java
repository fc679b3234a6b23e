package pbx.presence.routing;

import org.apache.camel.Exchange;
import pbx.presence.config.HttpUrls;
import pbx.presence.delivery.WebhookSigner;

import java.time.Clock;
import java.time.Duration;

/**
 * One webhook sink, made by {@link WebhookSinks} from one {@code presence-webhook-sink} kamelet
 * instance's parameters, so two webhooks have two secrets: its name (log position, dead-letter and
 * replay folder), URL, signer, retry policy and 410 disabler. The kamelet's first step puts it on the
 * exchange ({@link #PROPERTY}); the shared webhook routes and error handler act for it through
 * {@link WebhookSinks}.
 *
 * <p>The signer is made on first use: a webhook whose URL is empty (off) needs no secret.
 * {@link #toString()} names the sink only, never its secret.
 */
public final class WebhookSink {

    /** Exchange property holding the sink an event is being delivered for. */
    public static final String PROPERTY = "PbxWebhookSink";
    /** Exchange property: the URL the shared {@code webhook-post} route posts to. */
    public static final String URL_PROPERTY = "pbxWebhookUrl";

    private String name;
    private String url = "";
    private String secret = "";
    private int maxAttempts = 10;
    private int maxRetryAfterSeconds = 3600;
    private WebhookSinks sinks;

    private volatile WebhookSigner signer;
    private volatile WebhookRequestProcessor request;
    private volatile WebhookRetryPolicy policy;
    private volatile WebhookEndpointDisabler disabler;

    /** One webhook sink, checked and registered by name; a bad URL or secret fails the start. */
    public static WebhookSink create(WebhookSinks sinks, String name, String url, String secret, int maxAttempts, int maxRetryAfterSeconds) {
        WebhookSink sink = new WebhookSink();
        sink.setSinks(sinks);
        sink.setName(name);
        sink.setUrl(url);
        sink.setSecret(secret);
        sink.setMaxAttempts(maxAttempts);
        sink.setMaxRetryAfterSeconds(maxRetryAfterSeconds);
        sink.register();
        return sink;
    }

    private void setName(String name) {
        this.name = name.strip();
    }

    private void setUrl(String url) {
        this.url = url == null ? "" : url.strip();
    }

    private void setSecret(String secret) {
        this.secret = secret == null ? "" : secret;
    }

    private void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    private void setMaxRetryAfterSeconds(int maxRetryAfterSeconds) {
        this.maxRetryAfterSeconds = maxRetryAfterSeconds;
    }

    private void setSinks(WebhookSinks sinks) {
        this.sinks = sinks;
    }

    /** Checks the name, URL and secret and makes the sink known by name (replay, 410). */
    private void register() {
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("presence-webhook-sink: parameter sink must be a name of letters, digits, '_' or '-', was '" + name + "'");
        }
        if (!url.isEmpty()) {
            try {
                HttpUrls.requireHttp(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("presence-webhook-sink '" + name + "': url " + e.getMessage());
            }
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("presence-webhook-sink '" + name + "': maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (configured()) {
            signer = signer();
        }
        sinks.add(this);
    }

    public String name() {
        return name;
    }

    public String url() {
        return url;
    }

    /** True when the sink has a URL to post to. */
    public boolean configured() {
        return !url.isEmpty();
    }

    /** True once the receiver answered 410 Gone: nothing more is posted until a restart. */
    public boolean disabled() {
        return disabler != null && disabler.disabled();
    }

    /**
     * The kamelet's first step: this sink is the one the event goes to. A sink disabled by a 410 fails
     * the event before any POST (its route is being stopped from another thread, and the log would
     * otherwise offer the event again in between); the failure keeps the position, nothing is dead-lettered.
     */
    public void select(Exchange exchange) {
        exchange.setProperty(PROPERTY, this);
        if (disabled()) {
            throw new IllegalStateException("webhook sink " + name + " is disabled: its receiver answered 410 Gone");
        }
        exchange.setProperty(EmailDigestWindows.SINK, name);
        exchange.setProperty(URL_PROPERTY, url);
    }

    WebhookRequestProcessor request(Exchange exchange) {
        if (request == null) {
            if (!configured()) {
                throw new IllegalStateException("webhook sink " + name + " is disabled (its url is empty)");
            }
            request = new WebhookRequestProcessor(signer != null ? signer : signer(), clock(exchange));
        }
        return request;
    }

    private WebhookSigner signer() {
        try {
            return new WebhookSigner(secret);
        } catch (IllegalArgumentException e) {
            if ("webhook".equals(name)) {
                throw e; // the shipped sink: the message names its key, presence.webhook.secret
            }
            // the signer names the shipped key; another webhook's secret is its kamelet parameter
            throw new IllegalArgumentException(e.getMessage().replace(WebhookSigner.PROPERTY, "the secret of webhook sink " + name), e);
        }
    }

    WebhookRetryPolicy policy(Exchange exchange) {
        if (policy == null) {
            policy = new WebhookRetryPolicy(maxAttempts, Duration.ofSeconds(maxRetryAfterSeconds), clock(exchange));
        }
        return policy;
    }

    WebhookEndpointDisabler disabler() {
        if (disabler == null) {
            disabler = new WebhookEndpointDisabler(name);
        }
        return disabler;
    }

    private static Clock clock(Exchange exchange) {
        Clock clock = exchange.getContext().getRegistry().lookupByNameAndType("clock", Clock.class);
        return clock != null ? clock : Clock.systemUTC();
    }

    @Override
    public String toString() {
        return "webhook sink " + name;
    }
}
