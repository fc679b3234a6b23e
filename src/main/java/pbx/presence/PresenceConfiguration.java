package pbx.presence;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.ChangeDetector;
import pbx.presence.config.ConfigurationException;
import pbx.presence.config.SinkUrlChecks;
import pbx.presence.config.SourceRouteChecks;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.events.SinkStarts;
import pbx.presence.routing.PollOutcomeProcessor;
import pbx.presence.routing.PollProblems;
import pbx.presence.routing.SourcesHealthCheck;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.cluster.Leaderships;
import pbx.presence.wiring.ClusterConfiguration;
import pbx.presence.wiring.DemoConfiguration;
import pbx.presence.wiring.MetricsConfiguration;
import pbx.presence.wiring.Settings;
import pbx.presence.wiring.SinkConfiguration;
import pbx.presence.wiring.StoreConfiguration;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds the router's Java parts from {@code application.properties} and binds them for the YAML
 * routes, one concern at a time: the event store ({@link StoreConfiguration}), the change detector
 * and pipeline (here), the sinks ({@link SinkConfiguration}) and the embedded demo
 * ({@link DemoConfiguration}). Wiring lives in Java, not YAML, because it is plumbing integrators
 * never change; the YAML stays about sources, filters and sinks.
 */
public class PresenceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence");

    @Override
    public void configure(CamelContext context) throws Exception {
        ((ModelCamelContext) context).addModelLifecycleStrategy(new SourceRouteChecks(context));
        SinkUrlChecks.check(context);
        try {
            wire(context);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("application.properties (or its overrides): " + e.getMessage());
        }
    }

    private void wire(CamelContext context) throws Exception {
        Settings s = new Settings(context);
        Clock clock = Clock.systemUTC();
        EventMailFormatter formatter = new EventMailFormatter();

        JdbcEventStore store = StoreConfiguration.wire(context, s);
        ChangeDetector detector = new ChangeDetector(store,
                s.integer("presence.source.down-after-failures", 3), s.bool("presence.baseline.emit-added", false));
        detector.maxChangesPerPoll(s.integer("presence.source.max-changes-per-poll", ChangeDetector.MAX_CHANGES_PER_POLL));
        store.useLiveStatus(detector::consecutiveFailures, detector::lastGoodPoll, id -> detector.sourcesDown().contains(id));

        var registry = context.getRegistry();
        registry.bind("clock", clock);
        registry.bind("presenceLog", store);
        registry.bind("changeDetector", detector);
        registry.bind("pollOutcome", new PollOutcomeProcessor(detector, formatter, clock,
                s.integer("presence.log.events-per-poll-max", 20), MetricsConfiguration.sources(context)));
        SinkConfiguration.wire(context, s, store, formatter, clock);
        detector.beforeFirstCommit(new SinkStarts(context, store));
        MetricsConfiguration.sinks(context, s, store, clock);
        Leaderships leaderships = ClusterConfiguration.wire(context, s, detector, store);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new SourcesHealthCheck(detector, leaderships,
                    Duration.ofSeconds(s.integer("presence.sink.lag-ready-max-age-seconds", 300)), clock));
        }
        DemoConfiguration.wire(context, s);
        logSummaryAtStart(context, s, store);
    }

    private static void logSummaryAtStart(CamelContext context, Settings s, JdbcEventStore store) throws Exception {
        boolean fileOn = s.bool("presence.file.enabled", true);
        String webhookUrl = s.get("presence.webhook.url", "");
        String emailUrl = s.get("presence.email.url", "");
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
                LOG.info("State and event log in {}", store.where());
            }
        });
    }
}
