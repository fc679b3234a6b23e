package pbx.presence.cluster;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

import java.util.List;
import java.util.Optional;

/**
 * One namespace (a source or a sink) as this router sees it: whether it leads it, under which epoch,
 * and who leads it otherwise. The {@link PostgresLockClusterService}'s heartbeat thread changes it;
 * Camel's {@code master:} consumers listen to it.
 */
final class PostgresLockClusterView extends AbstractCamelClusterView {

    private final int lockKey;
    private final Member local;
    private volatile boolean leading;
    private volatile long epoch;
    private volatile long ledSince;
    private volatile long releasedAt = Long.MIN_VALUE;
    private volatile String otherLeader;

    PostgresLockClusterView(PostgresLockClusterService service, String namespace) {
        super(service, namespace);
        this.lockKey = AdvisoryLockSession.keyOf(namespace);
        this.local = new Member(service.getId(), true, true);
    }

    int lockKey() {
        return lockKey;
    }

    boolean leading() {
        return leading;
    }

    /** The fencing epoch of the current leadership, 0 when this router does not lead. */
    long epoch() {
        return leading ? epoch : 0;
    }

    long ledSince() {
        return ledSince;
    }

    boolean releasedWithin(long nowNanos, long windowNanos) {
        return releasedAt != Long.MIN_VALUE && nowNanos - releasedAt < windowNanos;
    }

    void took(long newEpoch, long nowNanos) {
        epoch = newEpoch;
        ledSince = nowNanos;
        leading = true;
        otherLeader = null;
        fireLeadershipChangedEvent(local);
    }

    /** Leadership ended (released, or the session is gone): listeners stop their consumers. */
    void lost(long nowNanos) {
        if (leading) {
            leading = false;
            releasedAt = nowNanos;
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
    }

    void otherLeader(String memberId) {
        otherLeader = memberId;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        if (leading) {
            return Optional.of(local);
        }
        String other = otherLeader;
        return other == null ? Optional.empty() : Optional.of(new Member(other, true, false));
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return new Member(local.getId(), leading, true);
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        String other = otherLeader;
        return other == null ? List.of(getLocalMember()) : List.of(getLocalMember(), new Member(other, true, false));
    }

    @Override
    protected void doStart() {
        // leadership is taken by the service's heartbeat, never here: start-up must not block on the database
    }

    @Override
    protected void doStop() {
        ((PostgresLockClusterService) getClusterService()).release(this);
    }

    private record Member(String id, boolean leader, boolean local) implements CamelClusterMember {
        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return local;
        }

        @Override
        public String getId() {
            return id;
        }
    }
}
