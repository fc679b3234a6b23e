package pbx.presence.wiring;

import org.apache.camel.CamelContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.StartupListener;
import org.apache.camel.cluster.CamelClusterService;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.Fencing;
import pbx.presence.cluster.LeaderGauges;
import pbx.presence.events.PresenceEventsComponent;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.cluster.KubernetesLeases;
import pbx.presence.cluster.Leaderships;
import pbx.presence.cluster.PostgresLockClusterService;
import pbx.presence.cluster.SingleRouterMasterComponent;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code presence.cluster.mode} (issue 12): which cluster service decides, per source and sink, the
 * one router that runs its {@code master:} route. {@code none}: this router leads everything;
 * {@code database}: PostgreSQL advisory locks on the store's server, with fenced commits;
 * {@code kubernetes}: Camel's Lease-based service, with commits fenced through the same store.
 */
public final class ClusterConfiguration {

    /** The modes, as written in application.properties. */
    public enum Mode { NONE, DATABASE, KUBERNETES }

    private ClusterConfiguration() {
    }

    public static Mode mode(Settings s) {
        String v = s.get("presence.cluster.mode", "none");
        try {
            return Mode.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("presence.cluster.mode must be none, database or kubernetes, was '" + v + "'");
        }
    }

    /**
     * Adds the cluster service (or, mode none, the one-router {@code master:}), fences the detector's
     * commits and the sinks' positions with it, and publishes a leader gauge per source and sink.
     * Call after {@link SinkConfiguration#wire} (it fences the {@code presence-events} component).
     */
    public static Leaderships wire(CamelContext context, Settings s, ChangeDetector detector, JdbcEventStore store) throws Exception {
        Leaderships leaderships = leaderships(context, s, store);
        Fencing fencing = leaderships.fencing(store);
        detector.useFencing(fencing);
        if (context.getComponent("presence-events") instanceof PresenceEventsComponent events) {
            events.useFencing(fencing);
        }
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                MeterRegistry meters = ctx.getRegistry().findSingleByType(MeterRegistry.class);
                if (meters != null) {
                    LeaderGauges.register(meters, leaderships);
                }
            }
        });
        return leaderships;
    }

    private static Leaderships leaderships(CamelContext context, Settings s, JdbcEventStore store) {
        Mode mode = mode(s);
        if (mode == Mode.NONE) {
            SingleRouterMasterComponent master = new SingleRouterMasterComponent();
            context.addComponent("master", master);
            return Leaderships.single(master);
        }
        String member = s.get("presence.cluster.member-id", "");
        if (member.isEmpty()) {
            // host name and process id: unique per running router, and readable in pg_stat_activity
            member = ManagementFactory.getRuntimeMXBean().getName();
        }
        CamelClusterService service = switch (mode) {
            case DATABASE -> database(s, member, store);
            case KUBERNETES -> kubernetes(s, member);
            case NONE -> throw new IllegalStateException();
        };
        try {
            context.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add the cluster service: " + e.getMessage(), e);
        }
        return Leaderships.of(service);
    }

    /** Every cluster mode keeps its state, events and fencing epochs in one PostgreSQL the routers share. */
    private static String sharedStoreUrl(Settings s, Mode mode) {
        String url = s.get("presence.store.url", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("presence.cluster.mode=" + mode.name().toLowerCase(Locale.ROOT) + " needs presence.store.url "
                    + "to name the routers' shared PostgreSQL (jdbc:postgresql://...); the embedded store cannot be shared");
        }
        return url;
    }

    private static PostgresLockClusterService database(Settings s, String member, JdbcEventStore store) {
        String url = sharedStoreUrl(s, Mode.DATABASE);
        PostgresLockClusterService service = new PostgresLockClusterService(member, url, s.get("presence.store.username", ""),
                s.get("presence.store.password", ""));
        service.setHeartbeat(positiveMillis(s, "presence.cluster.heartbeat-millis", 1000));
        service.setSessionTimeout(positiveMillis(s, "presence.cluster.session-timeout-millis", 5000));
        service.setMinimumTenure(positiveMillis(s, "presence.cluster.minimum-tenure-millis", 3000));
        service.setBeforeLeading(store::ready);
        return service;
    }

    private static org.apache.camel.component.kubernetes.cluster.KubernetesClusterService kubernetes(Settings s, String member) {
        sharedStoreUrl(s, Mode.KUBERNETES);
        String pod = s.get("presence.cluster.kubernetes.pod-name", "");
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : s.get("presence.cluster.kubernetes.pod-labels", "app.kubernetes.io/name=pbx-presence-router").split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("presence.cluster.kubernetes.pod-labels must be name=value pairs separated by commas, was '"
                        + pair + "'");
            }
            labels.put(kv[0].strip(), kv[1].strip());
        }
        return new KubernetesLeases(s.get("presence.cluster.kubernetes.namespace", "default"), pod.isEmpty() ? member : pod,
                s.get("presence.cluster.kubernetes.master-url", ""), s.get("presence.cluster.kubernetes.lease-prefix", "pbx-presence"),
                labels, positiveMillis(s, "presence.cluster.kubernetes.lease-duration-millis", 15000)).service();
    }

    private static Duration positiveMillis(Settings s, String key, int def) {
        int v = s.integer(key, def);
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, was " + v);
        }
        return Duration.ofMillis(v);
    }
}
