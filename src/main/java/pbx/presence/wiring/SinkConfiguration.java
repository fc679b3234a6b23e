package pbx.presence.wiring;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import pbx.presence.change.SinkLog;
import pbx.presence.config.EmailSinkSetup;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.delivery.WebhookSigner;
import pbx.presence.events.PresenceEventsComponent;
import pbx.presence.routing.DeliveryLifecycle;
import pbx.presence.routing.EmailDigestWindows;
import pbx.presence.routing.EventHeadersProcessor;
import pbx.presence.routing.MailAddresses;
import pbx.presence.routing.WebhookSinks;

import java.time.Clock;

/**
 * The sinks' Java parts: the {@code presence-events} component every sink route consumes from, the
 * registries through which the shared sink routes reach each sink kamelet instance's own beans
 * (webhooks by name, e-mail digest windows by name), and the switches that start only the shipped sink routes
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
        String amqpUrl = s.get("presence.amqp.url", "");
        s.override("presence.amqp.run", Boolean.toString(!amqpUrl.isBlank()));
        s.override("presence.file.run", Boolean.toString(fileOn));
        s.override("presence.webhook.run", Boolean.toString(webhookOn));
        s.override("presence.email.per-event", Boolean.toString(emailOn && digestSeconds == 0));
        s.override("presence.email.digest", Boolean.toString(emailOn && digestSeconds > 0));
        s.override("presence.email.digest-millis", Long.toString(Math.max(1, digestSeconds) * 1000L));

        context.addComponent("presence-events", new PresenceEventsComponent(log));
        Registry registry = context.getRegistry();
        registry.bind("eventHeaders", new EventHeadersProcessor());
        registry.bind("mailFormatter", formatter);
        registry.bind("deliveryLifecycle", new DeliveryLifecycle());
        // per-sink state lives in each kamelet instance's beans; these find the one an exchange is for
        WebhookSinks webhooks = new WebhookSinks();
        registry.bind("webhookSinks", webhooks);
        registry.bind("webhookRequest", webhooks.request());
        registry.bind("webhookReplayFolders", webhooks.replayFolders());
        // every presence-webhook-sink instance exists once the routes do; check and register them before they start
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext ctx, boolean alreadyStarted) {
                webhooks.registerAll(ctx);
            }

            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                webhooks.registerAll(ctx);
            }
        });
        EmailDigestWindows digests = new EmailDigestWindows(log, 1000);
        registry.bind("emailDigestWindows", digests);
        boolean shippedDigest = emailOn && digestSeconds > 0;
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                if (shippedDigest) {
                    // before the sources start: the first window misses nothing committed after this start
                    digests.window(EMAIL);
                }
            }

            @Override
            protected void doStop() {
                digests.closeAll();
            }
        }, true, true);
        EmailSinkSetup.apply(context, formatter);
        if (!amqpUrl.isBlank()) {
            // the example AMQP sink's broker; the password from its own key, never in the URI
            String user = s.get("presence.amqp.username", "");
            String password = context.getPropertiesComponent().resolveProperty("presence.amqp.password").orElse("");
            context.addComponent("amqp", user.isEmpty()
                    ? AMQPComponent.amqpComponent(amqpUrl)
                    : AMQPComponent.amqpComponent(amqpUrl, user, password));
        }
        if (webhookOn) {
            // the shipped webhook's secret is checked at start, naming its key (the kamelet bean checks it again)
            new WebhookSigner(s.get("presence.webhook.secret", ""));
            if (s.integer("presence.webhook.max-attempts", 10) < 1) {
                throw new IllegalArgumentException("presence.webhook.max-attempts must be at least 1, was "
                        + s.integer("presence.webhook.max-attempts", 10));
            }
        }
    }

    private static void checkMailAddresses(String to, String from) {
        MailAddresses.check(to, from);
    }

}
