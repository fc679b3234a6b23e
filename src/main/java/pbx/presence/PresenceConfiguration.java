package pbx.presence;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.FileOutbox;
import pbx.presence.change.FileStateStore;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.delivery.WebhookSigner;
import pbx.presence.demo.DemoPbx;
import pbx.presence.routing.EventHeadersProcessor;
import pbx.presence.routing.PollOutcomeProcessor;
import pbx.presence.routing.PollProblems;
import pbx.presence.routing.WebhookRequestProcessor;
import pbx.presence.routing.WebhookRetryPolicy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the router's Java parts from {@code application.properties} and binds them for the YAML
 * routes: state store, outbox, change detector, the pipeline and sink processors, and (when
 * {@code presence.demo.enabled}) the embedded PBX simulators. Wiring lives here, not in YAML,
 * because it is plumbing integrators never change; the YAML stays about sources, filters and sinks.
 */
public class PresenceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence");

    @Override
    public void configure(CamelContext context) throws Exception {
        ((org.apache.camel.model.ModelCamelContext) context).addModelLifecycleStrategy(
                new pbx.presence.config.SourceRouteChecks(context));
        pbx.presence.config.SinkUrlChecks.check(context);
        try {
            wire(context);
        } catch (IllegalArgumentException e) {
            throw new pbx.presence.config.ConfigurationException("application.properties (or its overrides): " + e.getMessage());
        }
    }

    private void wire(CamelContext context) throws Exception {
        Settings s = new Settings(context);
        Clock clock = Clock.systemUTC();

        List<String> sinks = new ArrayList<>();
        boolean fileOn = s.bool("presence.file.enabled", true);
        String webhookUrl = s.get("presence.webhook.url", "");
        String emailUrl = s.get("presence.email.url", "");
        if (fileOn) {
            sinks.add("file");
        }
        if (!webhookUrl.isBlank()) {
            sinks.add("webhook");
        }
        if (!emailUrl.isBlank()) {
            sinks.add("email");
            checkMailAddresses(s.get("presence.email.to", ""), s.get("presence.email.from", "pbx-presence@localhost"));
        }

        FileStateStore store = new FileStateStore(Path.of(s.get("presence.state.directory", "data/state")));
        FileOutbox outbox = new FileOutbox(Path.of(s.get("presence.outbox.directory", "data/outbox")), sinks);
        ChangeDetector detector = new ChangeDetector(store, outbox,
                s.integer("presence.source.down-after-failures", 3), s.bool("presence.baseline.emit-added", false));
        EventMailFormatter formatter = new EventMailFormatter();

        // one switch for the e-mail mode: the per-event route or the digest route runs, never both
        int digestSeconds = s.integer("presence.email.digest-seconds", 0);
        if (digestSeconds < 0) {
            throw new IllegalArgumentException("presence.email.digest-seconds must be 0 (one mail per event) or more, was " + digestSeconds);
        }
        var pc = context.getPropertiesComponent();
        pc.addOverrideProperty("presence.email.per-event", Boolean.toString(digestSeconds == 0));
        pc.addOverrideProperty("presence.email.digest", Boolean.toString(digestSeconds > 0));
        pc.addOverrideProperty("presence.email.digest-millis", Long.toString(Math.max(1, digestSeconds) * 1000L));

        var registry = context.getRegistry();
        registry.bind("clock", clock);
        registry.bind("stateStore", store);
        registry.bind("outbox", outbox);
        registry.bind("changeDetector", detector);
        var health = org.apache.camel.health.HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new pbx.presence.routing.SourcesHealthCheck(detector));
        }
        registry.bind("pollOutcome", new PollOutcomeProcessor(detector, formatter, clock));
        registry.bind("eventHeaders", new EventHeadersProcessor());
        registry.bind("mailFormatter", formatter);
        registry.bind("emailDigestOutbox", new pbx.presence.routing.EmailDigestOutbox(outbox.folderOf("email"), 1000));
        pbx.presence.config.EmailSinkSetup.apply(context, formatter);
        registry.bind("webhookRetryPolicy", new WebhookRetryPolicy(s.integer("presence.webhook.max-attempts", 10),
                Duration.ofSeconds(s.integer("presence.webhook.max-retry-after-seconds", 3600)), clock));
        registry.bind("deliveryLifecycle", new pbx.presence.routing.DeliveryLifecycle());
        registry.bind("webhookEndpointDisabler", new pbx.presence.routing.WebhookEndpointDisabler("sink-webhook"));
        if (!webhookUrl.isBlank()) {
            registry.bind("webhookRequest", new WebhookRequestProcessor(
                    new WebhookSigner(s.get("presence.webhook.secret", "")), clock));
        } else {
            registry.bind("webhookRequest", (org.apache.camel.Processor) ex -> {
                throw new IllegalStateException("webhook sink is disabled (presence.webhook.url is empty)");
            });
        }

        if (s.bool("presence.demo.enabled", false)) {
            DemoPbx.Builder demoBuilder = DemoPbx.builder().host(s.get("presence.demo.host", "127.0.0.1"))
                    .httpPort(s.integer(DemoPbx.HTTP_PORT_PROPERTY, 18081))
                    .callControlPort(s.integer(DemoPbx.CALLCONTROL_PORT_PROPERTY, 18082))
                    .tickMillis(s.integer("presence.demo.tick-millis", 3000));
            for (String vendor : DemoPbx.VENDOR_SIMULATORS.keySet()) {
                String port = s.get(DemoPbx.portProperty(vendor), "");
                if (!port.isEmpty()) {
                    demoBuilder.vendorPort(vendor, s.integer(DemoPbx.portProperty(vendor), 0));
                }
            }
            DemoPbx demo = demoBuilder.start();
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    demo.close();
                }
            }, true, true);
            registry.bind("demoPbx", demo);
            // port 0 picks a free port; the demo source routes read the actual one from these keys
            context.getPropertiesComponent().addOverrideProperty(DemoPbx.HTTP_PORT_PROPERTY, Integer.toString(demo.httpPort()));
            context.getPropertiesComponent().addOverrideProperty(DemoPbx.CALLCONTROL_PORT_PROPERTY, Integer.toString(demo.callControlPort()));
            for (String vendor : demo.vendorIds()) {
                context.getPropertiesComponent().addOverrideProperty(DemoPbx.portProperty(vendor), Integer.toString(demo.vendor(vendor).port()));
            }
            LOG.info("Embedded demo: simulated 3CX HTTP API at {}, 3CX Call Control API at {}{} (presence.demo.enabled=false turns this off)",
                    demo.httpBaseUrl(), demo.callControlExtensionsUrl(), demo.vendorIds().stream()
                            .map(v -> ", " + v + " at " + demo.vendor(v).baseUrl()).collect(java.util.stream.Collectors.joining()));
        }

        String fileDir = s.get("presence.file.directory", "data/events");
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                for (Route r : ctx.getRoutes()) {
                    if (r.getRouteId().startsWith("source-") && ctx.getRouteController().getRouteStatus(r.getRouteId()).isStarted()) {
                        LOG.info("Source route {} polls {}", r.getRouteId(),
                                PollProblems.redact(URISupport.sanitizeUri(r.getEndpoint().getEndpointUri())));
                    }
                }
                LOG.info("Sink file: {}", fileOn ? "appends JSON Lines to " + Path.of(fileDir).toAbsolutePath() + "/events-<date>.jsonl"
                        : "disabled (presence.file.enabled=false)");
                LOG.info("Sink webhook: {}", webhookUrl.isBlank() ? "disabled (presence.webhook.url is empty)"
                        : "POSTs signed events to " + PollProblems.redact(URISupport.sanitizeUri(webhookUrl)));
                int digest = s.integer("presence.email.digest-seconds", 0);
                LOG.info("Sink e-mail: {}", emailUrl.isBlank() ? "disabled (presence.email.url is empty)"
                        : "sends to " + s.get("presence.email.to", "") + " via " + PollProblems.redact(URISupport.sanitizeUri(emailUrl))
                        + (digest > 0 ? " as a digest every " + digest + " s" : ", one mail per event"));
                LOG.info("State in {}, outbox in {}", store.directory().toAbsolutePath(), outbox.directory().toAbsolutePath());
            }
        });
    }

    /**
     * An empty or invalid recipient list would otherwise fail only when a mail is sent, be retried
     * for minutes and hold up every later mail; refuse it at start instead.
     */
    private static void checkMailAddresses(String to, String from) {
        try {
            jakarta.mail.internet.InternetAddress[] recipients = jakarta.mail.internet.InternetAddress.parse(to, true);
            if (recipients.length == 0) {
                throw new IllegalArgumentException("presence.email.to must name at least one recipient when presence.email.url is set");
            }
            for (jakarta.mail.internet.InternetAddress a : recipients) {
                a.validate();
            }
            new jakarta.mail.internet.InternetAddress(from, true).validate();
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("presence.email.to / presence.email.from is not a valid address list: " + e.getMessage());
        }
    }

    /** Reads typed values from Camel's properties with defaults, naming the key when one is wrong. */
    private static final class Settings {
        private final CamelContext context;

        Settings(CamelContext context) {
            this.context = context;
        }

        String get(String key, String def) {
            return context.getPropertiesComponent().resolveProperty(key).map(String::strip).orElse(def);
        }

        int integer(String key, int def) {
            String v = get(key, null);
            if (v == null || v.isEmpty()) {
                return def;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
            }
        }

        boolean bool(String key, boolean def) {
            String v = get(key, null);
            if (v == null || v.isEmpty()) {
                return def;
            }
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }
    }
}
