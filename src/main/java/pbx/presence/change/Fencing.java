package pbx.presence.change;

import java.util.Optional;

/**
 * Which leadership a router holds for a source or a sink, so that the store can refuse a commit made
 * under a leadership that has since passed to another router (issue 12: a paused router that lost its
 * lock must commit nothing afterwards). The cluster wiring implements it; {@link #NONE} (one router,
 * {@code presence.cluster.mode = none}) fences nothing.
 */
public interface Fencing {

    /** One router: every commit goes through unchecked. */
    Fencing NONE = namespace -> Optional.empty();

    /**
     * The fence a commit for {@code namespace} must pass; empty when this router does not lead it
     * (then nothing may be committed for it), or, with {@link #NONE}, when nothing is fenced.
     */
    Optional<Fence> fence(String namespace);

    /** False for {@link #NONE}: commits are not fenced at all. */
    default boolean enabled() {
        return this != NONE;
    }

    /** The cluster namespace (leadership name) of a source's poller: the kamelets' {@code master:source-<id>:}. */
    static String sourceNamespace(String sourceId) {
        return "source-" + sourceId;
    }

    /** The cluster namespace of a sink's consumer: the sink routes' {@code master:sink-<name>:}. */
    static String sinkNamespace(String sink) {
        return "sink-" + sink;
    }

    /** Leadership of {@code namespace} under {@code epoch}: a commit passes while the store's epoch is still this one. */
    record Fence(String namespace, long epoch) {
    }

    /** A commit was refused because its leadership moved on: nothing of it was written. */
    final class LostLeadership extends StoreException {
        public LostLeadership(String what) {
            super("lost leadership of " + what);
        }
    }
}
