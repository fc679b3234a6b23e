package pbx.presence.cluster;

import org.apache.camel.cluster.CamelClusterService;
import pbx.presence.change.Fencing;
import pbx.presence.store.JdbcEventStore;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What this router leads, whatever the cluster mode: for readiness, /observe/health, the leader
 * gauges, and the fences its commits must pass.
 */
public final class Leaderships {

    private final CamelClusterService service;
    private final SingleRouterMasterComponent single;

    private Leaderships(CamelClusterService service, SingleRouterMasterComponent single) {
        this.service = service;
        this.single = single;
    }

    /** One router: it leads every namespace its routes name. */
    public static Leaderships single(SingleRouterMasterComponent component) {
        return new Leaderships(null, component);
    }

    /** A cluster: leadership as {@code service} sees it. */
    public static Leaderships of(CamelClusterService service) {
        return new Leaderships(service, null);
    }

    public boolean clustered() {
        return service != null;
    }

    /** Every namespace (source-&lt;id&gt;, sink-&lt;name&gt;) this router's routes take part in, sorted. */
    public SortedSet<String> namespaces() {
        return new TreeSet<>(service == null ? single.namespaces() : service.getNamespaces());
    }

    /** The namespaces this router leads now, sorted. */
    public SortedSet<String> led() {
        SortedSet<String> led = namespaces();
        led.removeIf(ns -> !leads(ns));
        return led;
    }

    public boolean leads(String namespace) {
        return service == null ? single.leads(namespace) : service.isLeader(namespace);
    }

    /**
     * The fences of this router's commits. Database mode: the epochs its lock service records at each
     * takeover (on the lock's own session). Any other cluster service (kubernetes): epochs bumped in
     * {@code store} when it first commits as leader ({@link EpochFencing}). One router: none.
     */
    public Fencing fencing(JdbcEventStore store) {
        if (service instanceof PostgresLockClusterService pg) {
            return namespace -> pg.epochOf(namespace).map(epoch -> new Fencing.Fence(namespace, epoch));
        }
        return service == null ? Fencing.NONE : new EpochFencing(service, store);
    }
}
