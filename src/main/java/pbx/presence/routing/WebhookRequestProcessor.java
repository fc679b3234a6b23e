package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.http.HttpMethods;
import pbx.presence.delivery.WebhookSigner;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Prepares one webhook POST: the event JSON as body (restored from the {@code pbxEventJson}
 * property, so every redelivery sends the same bytes), the Standard Webhooks headers with a fresh
 * timestamp and signature per attempt, and no other headers.
 *
 * <p>The body is sent as UTF-8 <em>bytes</em> and those very bytes are signed: a String body would
 * be encoded by the HTTP client with whatever charset the exchange happens to carry (ISO-8859-1 when
 * none), and a name like "Jürgen" would then fail the receiver's signature check.
 *
 * <p>Camel's own redelivery headers ({@code CamelRedeliveryCounter} …) survive the clean-up: the
 * error handler counts attempts in them, and wiping them made every failure look like the first
 * one (endless retries, {@code presence.webhook.max-attempts} never reached). Camel's HTTP header
 * filter keeps {@code Camel*} headers off the wire.
 */
public final class WebhookRequestProcessor implements Processor {

    public static final String EVENT_JSON = "pbxEventJson";
    public static final String CONTENT_TYPE = "application/json";

    /** Headers the redelivery error handler keeps its state in; never sent (Camel* is filtered). */
    private static final List<String> KEEP = List.of(
            Exchange.REDELIVERY_COUNTER, Exchange.REDELIVERY_MAX_COUNTER, Exchange.REDELIVERED);

    private final WebhookSigner signer;
    private final Clock clock;

    public WebhookRequestProcessor(WebhookSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        String json = exchange.getProperty(EVENT_JSON, String.class);
        String id = exchange.getProperty(Headers.EVENT_ID, String.class);
        if (json == null || id == null) {
            throw new IllegalStateException("webhook request without the event: set properties " + EVENT_JSON + " and " + Headers.EVENT_ID);
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        long ts = clock.instant().getEpochSecond();
        var m = exchange.getMessage();
        Object[] kept = new Object[KEEP.size()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = m.getHeader(KEEP.get(i));
        }
        m.getHeaders().clear();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != null) {
                m.setHeader(KEEP.get(i), kept[i]);
            }
        }
        m.setBody(body);
        // the enum itself: given as text, Camel's HTTP producer converts it through the type-converter
        // registry on every request (a fifth of the webhook thread's time in a profile, issue 13)
        m.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        m.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        m.setHeader(WebhookSigner.HEADER_ID, id);
        m.setHeader(WebhookSigner.HEADER_TIMESTAMP, Long.toString(ts));
        m.setHeader(WebhookSigner.HEADER_SIGNATURE, signer.sign(id, ts, body));
    }
}
