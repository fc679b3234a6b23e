package pbx.presence.wiring;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import pbx.presence.change.SinkLog;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.delivery.WebhookSigner;
import pbx.presence.events.PresenceEventsComponent;
import pbx.presence.routing.DeliveryLifecycle;
import pbx.presence.routing.EmailComposer;
import pbx.presence.routing.EmailDigestWindow;
import pbx.presence.routing.EventHeadersProcessor;
import pbx.presence.routing.WebhookEndpointDisabler;
import pbx.presence.routing.WebhookRequestProcessor;
import pbx.presence.routing.WebhookRetryPolicy;

import java.time.Clock;
import java.time.Duration;

/**
 * The sinks' Java parts: the {@code presence-events} component every sink route consumes from, the
 * processors the three built-in sink routes call, and the switches that start only the sink routes
 * that are configured ({@code presence.file.enabled}, a webhook URL, an SMTP URL, digest or not).
 */
public final class SinkConfiguration {

    private SinkConfiguration() {
    }

    /** Sink names of the built-in routes: their positions in the log (and the folders of the old outbox). */
    public static final String FILE = "file";
    public static final String WEBHOOK = "webhook";
    public static final String EMAIL = "email";

    public static void wire(CamelContext context, Settings s, SinkLog log, EventMailFormatter formatter, Clock clock) throws Exception {
        boolean fileOn = s.bool("presence.file.enabled", true);
        boolean webhookOn = !s.get("presence.webhook.url", "").isBlank();
        boolean emailOn = !s.get("presence.email.url", "").isBlank();
        if (emailOn) {
            checkMailAddresses(s.get("presence.email.to", ""), s.get("presence.email.from", "pbx-presence@localhost"));
        }
        // one switch for the e-mail mode: the per-event route or the digest route runs, never both
        int digestSeconds = s.integer("presence.email.digest-seconds", 0);
        if (digestSeconds < 0) {
            throw new IllegalArgumentException("presence.email.digest-seconds must be 0 (one mail per event) or more, was " + digestSeconds);
        }
        s.override("presence.file.run", Boolean.toString(fileOn));
        s.override("presence.webhook.run", Boolean.toString(webhookOn));
        s.override("presence.email.per-event", Boolean.toString(emailOn && digestSeconds == 0));
        s.override("presence.email.digest", Boolean.toString(emailOn && digestSeconds > 0));
        s.override("presence.email.digest-millis", Long.toString(Math.max(1, digestSeconds) * 1000L));

        context.addComponent("presence-events", new PresenceEventsComponent(log));
        Registry registry = context.getRegistry();
        registry.bind("eventHeaders", new EventHeadersProcessor());
        registry.bind("mailFormatter", formatter);
        EmailDigestWindow digest = new EmailDigestWindow(log, EMAIL, 1000);
        registry.bind("emailDigestWindow", digest);
        if (emailOn && digestSeconds > 0) {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStart() {
                    digest.open();
                }

                @Override
                protected void doStop() {
                    digest.close();
                }
            }, true, true);
        }
        registry.bind("emailComposer", new EmailComposer(formatter, s.get("presence.email.from", "pbx-presence@localhost"),
                s.get("presence.email.to", "")));
        registry.bind("webhookRetryPolicy", new WebhookRetryPolicy(s.integer("presence.webhook.max-attempts", 10),
                Duration.ofSeconds(s.integer("presence.webhook.max-retry-after-seconds", 3600)), clock));
        registry.bind("deliveryLifecycle", new DeliveryLifecycle());
        registry.bind("webhookEndpointDisabler", new WebhookEndpointDisabler("sink-webhook"));
        if (webhookOn) {
            registry.bind("webhookRequest", new WebhookRequestProcessor(new WebhookSigner(s.get("presence.webhook.secret", "")), clock));
        } else {
            registry.bind("webhookRequest", (Processor) ex -> {
                throw new IllegalStateException("webhook sink is disabled (presence.webhook.url is empty)");
            });
        }
    }

    /**
     * An empty or invalid recipient list would otherwise fail only when a mail is sent, be retried
     * for minutes and hold up every later mail; refuse it at start instead.
     */
    private static void checkMailAddresses(String to, String from) {
        try {
            InternetAddress[] recipients = InternetAddress.parse(to, true);
            if (recipients.length == 0) {
                throw new IllegalArgumentException("presence.email.to must name at least one recipient when presence.email.url is set");
            }
            for (InternetAddress a : recipients) {
                a.validate();
            }
            new InternetAddress(from, true).validate();
        } catch (AddressException e) {
            throw new IllegalArgumentException("presence.email.to / presence.email.from is not a valid address list: " + e.getMessage());
        }
    }
}
