package pbx.presence.cluster;

import org.apache.camel.StatefulService;
import org.apache.camel.cluster.CamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.Fencing;
import pbx.presence.store.JdbcEventStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fencing for any Camel cluster service whose leadership carries no epoch of ours (the Kubernetes
 * Lease service): the epoch lives in the shared store's {@code cluster_leadership} table, as in
 * database mode ({@link pbx.presence.store.LeadershipEpochs}).
 *
 * <p>The first fence asked for a namespace while the service says this router leads it bumps the
 * epoch in the store; later fences reuse it. It is forgotten when the service says this router no
 * longer leads, and when a commit was refused under it (another router bumped meanwhile); the next
 * fence asked while leading bumps again. The bump happens lazily rather than on Camel's leadership
 * event because the callers (the change detector, the sink consumers) ask for the fence before every
 * commit and reload their cached state whenever it changes, which is exactly the order safety needs.
 *
 * <p>Why this is safe even though a Lease holder's belief may be stale (a pod paused past its Lease):
 * every commit checks the epoch {@code FOR SHARE} in its own transaction and a bump is an
 * {@code UPDATE} of that row, so a bump waits for a commit in flight and every later commit under an
 * older epoch fails, writing nothing. After its bump the new leader reloads the state from the store,
 * so it continues from every event the old leader committed. Two routers that both believe they lead
 * (for at most the stale one's Lease renewal period) can only take turns bumping; whoever holds the
 * current epoch commits, the other's commits fail, and no event id is ever issued twice with
 * different content (the stale one may commit one poll it fetched before its pause: an older but
 * consistent picture, which the next leader's poll corrects with new events). What the Lease does
 * not give is database mode's guarantee that the bump itself happens while the leadership is held
 * (there the lock and the bump share one session).
 */
final class EpochFencing implements Fencing {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.cluster");

    private final CamelClusterService service;
    private final JdbcEventStore store;
    private final Map<String, Fence> fences = new ConcurrentHashMap<>();

    EpochFencing(CamelClusterService service, JdbcEventStore store) {
        this.service = service;
        this.store = store;
        store.onFenceRefused(fence -> fences.remove(fence.namespace(), fence));
    }

    @Override
    public Optional<Fence> fence(String namespace) {
        // Camel's Kubernetes view keeps saying "leader" after its service stopped: a stopped service leads nothing
        boolean started = !(service instanceof StatefulService st) || st.isStarted();
        if (!started || !service.isLeader(namespace)) {
            fences.remove(namespace);
            return Optional.empty();
        }
        // computeIfAbsent: one bump per namespace even if a source's poll and a sink ask at once
        return Optional.of(fences.computeIfAbsent(namespace, ns -> {
            long epoch = store.takeLeadership(ns, service.getId());
            LOG.info("Cluster: router {} fences its commits for {} with epoch {}", service.getId(), ns, epoch);
            return new Fence(ns, epoch);
        }));
    }
}
