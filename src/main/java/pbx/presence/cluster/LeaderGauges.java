package pbx.presence.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One gauge per source and sink this router takes part in: {@code pbx_presence_source_leader{source="…"}}
 * and {@code pbx_presence_sink_leader{sink="…"}}, 1 while this router leads it, else 0. Summed over the
 * routers of a cluster, each is 1 once leadership has settled.
 */
public final class LeaderGauges {

    private LeaderGauges() {
    }

    public static void register(MeterRegistry meters, Leaderships leaderships) {
        for (String namespace : leaderships.namespaces()) {
            String kind = namespace.startsWith("source-") ? "source" : namespace.startsWith("sink-") ? "sink" : null;
            if (kind == null) {
                continue;
            }
            Gauge.builder("pbx.presence." + kind + ".leader", () -> leaderships.leads(namespace) ? 1 : 0)
                    .description("1 while this router leads the " + kind + ", else 0")
                    .tag(kind, namespace.substring(kind.length() + 1))
                    .register(meters);
        }
    }
}
