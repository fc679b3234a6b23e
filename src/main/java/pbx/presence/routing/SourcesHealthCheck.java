package pbx.presence.routing;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import pbx.presence.change.ChangeDetector;
import pbx.presence.change.Fencing;
import pbx.presence.cluster.Leaderships;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Readiness of the data the router serves: DOWN while any PBX source is reported down (after
 * {@code presence.source.down-after-failures} failed polls), or has been leaving changed extensions for
 * later polls ({@code presence.source.max-changes-per-poll}) for longer than {@code maxBehind}, naming
 * the sources. Not a liveness check: a PBX outage or a flood of changes is not a reason to restart the
 * router.
 */
public final class SourcesHealthCheck extends AbstractHealthCheck {

    private final ChangeDetector detector;
    private final Leaderships leaderships;
    private final Duration maxBehind;
    private final Clock clock;

    public SourcesHealthCheck(ChangeDetector detector) {
        this(detector, null, Duration.ZERO, Clock.systemUTC());
    }

    /**
     * With {@code leaderships} (issue 12) it also says which sources and sinks this router leads, and
     * counts only the sources it leads: another router answers for the others. A {@code maxBehind} of
     * zero never reports a source behind.
     */
    public SourcesHealthCheck(ChangeDetector detector, Leaderships leaderships, Duration maxBehind, Clock clock) {
        super("pbx", "sources");
        this.detector = detector;
        this.leaderships = leaderships;
        this.maxBehind = maxBehind;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SortedSet<String> down = detector.sourcesDown();
        SortedSet<String> behind = behind();
        String leads = "";
        if (leaderships != null) {
            down.removeIf(id -> !leaderships.leads(Fencing.sourceNamespace(id)));
            behind.removeIf(id -> !leaderships.leads(Fencing.sourceNamespace(id)));
            SortedSet<String> led = leaderships.led();
            builder.detail("leads.sources", namesAfter("source-", led));
            builder.detail("leads.sinks", namesAfter("sink-", led));
            leads = "leads sources [" + namesAfter("source-", led) + "] and sinks [" + namesAfter("sink-", led) + "]";
        }
        builder.detail("sources.down", String.join(",", down));
        builder.detail("sources.behind", String.join(",", behind));
        List<String> problems = new ArrayList<>();
        if (!down.isEmpty()) {
            problems.add("PBX source(s) down: " + String.join(", ", down));
        }
        if (!behind.isEmpty()) {
            problems.add("source(s) leaving changed extensions for later polls for more than " + maxBehind.toSeconds() + " s: "
                    + behind.stream().map(id -> id + " (" + detector.deferredChanges(id) + " left)").collect(Collectors.joining(", ")));
        }
        if (problems.isEmpty()) {
            if (!leads.isEmpty()) {
                builder.message(leads);
            }
            builder.up();
        } else {
            builder.message(String.join("; ", problems) + (leads.isEmpty() ? "" : "; " + leads)).down();
        }
    }

    /** Sources whose every good poll has left changed extensions for later, for longer than {@code maxBehind}. */
    private SortedSet<String> behind() {
        SortedSet<String> behind = new TreeSet<>();
        if (maxBehind.isZero()) {
            return behind;
        }
        Instant now = clock.instant();
        detector.sourcesDeferring().forEach(id -> {
            Instant since = detector.deferringSince(id);
            if (since != null && Duration.between(since, now).compareTo(maxBehind) > 0) {
                behind.add(id);
            }
        });
        return behind;
    }

    private static String namesAfter(String prefix, SortedSet<String> namespaces) {
        return namespaces.stream().filter(n -> n.startsWith(prefix)).map(n -> n.substring(prefix.length()))
                .collect(Collectors.joining(","));
    }
}
