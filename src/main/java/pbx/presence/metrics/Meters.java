package pbx.presence.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

import java.util.Optional;

/**
 * The Micrometer registry Camel Main serves on {@code /observe/metrics}, looked up when first needed:
 * Camel Main binds it while it configures the context, possibly after our wiring ran. Empty when
 * metrics are off ({@code camel.metrics.enabled=false}); then every meter is a no-op.
 */
public final class Meters {

    private final CamelContext context;
    private volatile MeterRegistry registry;

    public Meters(CamelContext context) {
        this.context = context;
    }

    /** A registry of its own (tests, benchmarks). */
    public Meters(MeterRegistry registry) {
        this.context = null;
        this.registry = registry;
    }

    public Optional<MeterRegistry> registry() {
        MeterRegistry r = registry;
        if (r == null && context != null) {
            r = context.getRegistry().findSingleByType(MeterRegistry.class);
            registry = r;
        }
        return Optional.ofNullable(r);
    }
}
