package pbx.presence.routing;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import pbx.presence.change.ChangeDetector;

import java.util.Map;
import java.util.SortedSet;

/**
 * Readiness of the data the router serves: DOWN while any PBX source is reported down (after
 * {@code presence.source.down-after-failures} failed polls), naming the sources. Not a liveness
 * check: a PBX outage is not a reason to restart the router.
 */
public final class SourcesHealthCheck extends AbstractHealthCheck {

    private final ChangeDetector detector;

    public SourcesHealthCheck(ChangeDetector detector) {
        super("pbx", "sources");
        this.detector = detector;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        SortedSet<String> down = detector.sourcesDown();
        builder.detail("sources.down", String.join(",", down));
        if (down.isEmpty()) {
            builder.up();
        } else {
            builder.message("PBX source(s) down: " + String.join(", ", down)).down();
        }
    }
}
