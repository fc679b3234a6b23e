package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import pbx.presence.delivery.WebhookSigner;

import java.time.Clock;

/**
 * Prepares one webhook POST: the event JSON as body (restored from the {@code pbxEventJson}
 * property, so every redelivery sends the same bytes), the Standard Webhooks headers with a fresh
 * timestamp and signature per attempt, and no other headers.
 */
public final class WebhookRequestProcessor implements Processor {

    public static final String EVENT_JSON = "pbxEventJson";

    private final WebhookSigner signer;
    private final Clock clock;

    public WebhookRequestProcessor(WebhookSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        String body = exchange.getProperty(EVENT_JSON, String.class);
        String id = exchange.getProperty(Headers.EVENT_ID, String.class);
        if (body == null || id == null) {
            throw new IllegalStateException("webhook request without the event: set properties " + EVENT_JSON + " and " + Headers.EVENT_ID);
        }
        long ts = clock.instant().getEpochSecond();
        var m = exchange.getMessage();
        m.getHeaders().clear();
        m.setBody(body);
        m.setHeader(Exchange.HTTP_METHOD, "POST");
        m.setHeader(Exchange.CONTENT_TYPE, "application/json");
        m.setHeader(WebhookSigner.HEADER_ID, id);
        m.setHeader(WebhookSigner.HEADER_TIMESTAMP, Long.toString(ts));
        m.setHeader(WebhookSigner.HEADER_SIGNATURE, signer.sign(id, ts, body));
    }
}
