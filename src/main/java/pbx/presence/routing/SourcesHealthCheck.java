package pbx.presence.routing;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.Fencing;
import pbx.presence.cluster.Leaderships;

import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * Readiness of the data the router serves: DOWN while any PBX source is reported down (after
 * {@code presence.source.down-after-failures} failed polls), naming the sources. Not a liveness
 * check: a PBX outage is not a reason to restart the router.
 */
public final class SourcesHealthCheck extends AbstractHealthCheck {

    private final ChangeDetector detector;
    private final Leaderships leaderships;

    public SourcesHealthCheck(ChangeDetector detector) {
        this(detector, null);
    }

    /**
     * With {@code leaderships} (issue 12) it also says which sources and sinks this router leads, and
     * counts only the sources it leads: another router answers for the others.
     */
    public SourcesHealthCheck(ChangeDetector detector, Leaderships leaderships) {
        super("pbx", "sources");
        this.detector = detector;
        this.leaderships = leaderships;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SortedSet<String> down = detector.sourcesDown();
        String leads = "";
        if (leaderships != null) {
            down.removeIf(id -> !leaderships.leads(Fencing.sourceNamespace(id)));
            SortedSet<String> led = leaderships.led();
            builder.detail("leads.sources", namesAfter("source-", led));
            builder.detail("leads.sinks", namesAfter("sink-", led));
            leads = "leads sources [" + namesAfter("source-", led) + "] and sinks [" + namesAfter("sink-", led) + "]";
        }
        builder.detail("sources.down", String.join(",", down));
        if (down.isEmpty()) {
            if (!leads.isEmpty()) {
                builder.message(leads);
            }
            builder.up();
        } else {
            builder.message("PBX source(s) down: " + String.join(", ", down) + (leads.isEmpty() ? "" : "; " + leads)).down();
        }
    }

    private static String namesAfter(String prefix, SortedSet<String> namespaces) {
        return namespaces.stream().filter(n -> n.startsWith(prefix)).map(n -> n.substring(prefix.length()))
                .collect(Collectors.joining(","));
    }
}
