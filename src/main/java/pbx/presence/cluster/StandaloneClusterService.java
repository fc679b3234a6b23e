package pbx.presence.cluster;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

import java.util.List;
import java.util.Optional;

/**
 * {@code presence.cluster.mode = none}: a cluster of one, in which this router leads every source and
 * sink from the moment its view starts. It lets the shipped routes say {@code master:} whatever the
 * mode, so a single router and a cluster run the same YAML. (Camel has no such service of its own.)
 */
public final class StandaloneClusterService extends AbstractCamelClusterService<StandaloneClusterService.View> {

    public StandaloneClusterService(String id) {
        super(id);
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    /** One namespace, always led by this router while started. */
    static final class View extends AbstractCamelClusterView {
        private final CamelClusterMember local;
        private volatile boolean started;

        View(StandaloneClusterService service, String namespace) {
            super(service, namespace);
            String id = service.getId();
            this.local = new CamelClusterMember() {
                @Override
                public boolean isLeader() {
                    return started;
                }

                @Override
                public boolean isLocal() {
                    return true;
                }

                @Override
                public String getId() {
                    return id;
                }
            };
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return started ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        @Override
        protected void doStart() {
            started = true;
            fireLeadershipChangedEvent(local);
        }

        @Override
        protected void doStop() {
            started = false;
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }
    }
}
