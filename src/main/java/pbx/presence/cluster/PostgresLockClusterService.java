package pbx.presence.cluster;

import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Camel cluster service whose leaderships are PostgreSQL advisory locks (see
 * {@link AdvisoryLockSession}), so a cluster of routers needs nothing beyond the database it already
 * has. Camel's {@code master:} endpoints and cluster route policies use it like any other cluster
 * service; no consensus of our own: PostgreSQL grants each lock to one session at a time.
 *
 * <p>One heartbeat thread, every {@code heartbeat}: keeps the session alive, counts the routers, and
 * takes or gives up leaderships so that leadership spreads: a router leads at most its fair share,
 * ceil(namespaces / routers). When it leads more (a router joined), it gives up the most recently
 * taken ones and leaves them alone for a few beats so another router takes them. When the session
 * fails, every leadership ends at once (the server releases the locks with the session).
 *
 * <p>Takeover bound: a router that dies releases its locks when its connection closes (at once for a
 * process death; {@code sessionTimeout} for a host that vanished or a paused process); another router
 * takes each lock at its next beat. So: {@code sessionTimeout + heartbeat} at worst.
 */
public final class PostgresLockClusterService extends AbstractCamelClusterService<PostgresLockClusterView> {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.cluster");

    private final AdvisoryLockSession.ConnectionSource connections;
    private final Map<String, PostgresLockClusterView> views = new ConcurrentHashMap<>();
    private Duration heartbeat = Duration.ofSeconds(1);
    private Duration sessionTimeout = Duration.ofSeconds(5);
    /**
     * Leadership taken less than this long ago is never handed over to spread the load. Camel 4.18's
     * master consumer starts its delegate one second after leadership is taken without checking that
     * it still leads (fixed in later Camel lines), so a hand-over inside that second would leave the
     * delegate running on a router that no longer leads. Fencing keeps such a router from committing,
     * but it should not poll either.
     */
    private Duration minimumTenure = Duration.ofSeconds(3);
    private ScheduledExecutorService scheduler;
    private AdvisoryLockSession session;
    private boolean outageLogged;
    private Runnable beforeLeading = () -> { };

    public PostgresLockClusterService(String memberId, String jdbcUrl, String username, String password) {
        this(memberId, () -> DriverManager.getConnection(jdbcUrl, username, password));
    }

    PostgresLockClusterService(String memberId, AdvisoryLockSession.ConnectionSource connections) {
        super(memberId);
        this.connections = connections;
    }

    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    public void setMinimumTenure(Duration minimumTenure) {
        this.minimumTenure = minimumTenure;
    }

    /**
     * Runs at every beat before any leadership is taken; a failure counts as a database outage. The
     * router passes the store's schema check: {@code cluster_leadership} comes with the store's
     * migrations, which may not have run yet when the database was down at start.
     */
    public void setBeforeLeading(Runnable beforeLeading) {
        this.beforeLeading = beforeLeading;
    }

    /** The fencing epoch under which this router leads {@code namespace}, or empty when it does not. */
    public Optional<Long> epochOf(String namespace) {
        PostgresLockClusterView v = views.get(namespace);
        return v != null && v.leading() ? Optional.of(v.epoch()) : Optional.empty();
    }

    @Override
    protected PostgresLockClusterView createView(String namespace) {
        PostgresLockClusterView view = new PostgresLockClusterView(this, namespace);
        views.put(namespace, view);
        return view;
    }

    @Override
    protected void doStart() throws Exception {
        session = new AdvisoryLockSession(connections, getId(), sessionTimeout);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pbx-cluster-heartbeat");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::beat, 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        super.doStart();
        LOG.info("Cluster: router {} joins through PostgreSQL advisory locks (heartbeat {} ms, session timeout {} ms)",
                getId(), heartbeat.toMillis(), sessionTimeout.toMillis());
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        synchronized (this) {
            views.values().forEach(v -> v.lost(System.nanoTime()));
            if (session != null) {
                session.close();
            }
        }
    }

    /** A view stops (its route stopped): give its lock back so another router can take it now. */
    synchronized void release(PostgresLockClusterView view) {
        if (!view.leading()) {
            return;
        }
        view.lost(System.nanoTime());
        LOG.info("Cluster: router {} no longer leads {}", getId(), view.getNamespace());
        try {
            session.unlock(view.lockKey());
        } catch (SQLException | RuntimeException e) {
            // the lock goes with the session at the latest
            session.close();
        }
    }

    synchronized void beat() {
        long now = System.nanoTime();
        try {
            session.ensureOpen();
            beforeLeading.run();
            List<PostgresLockClusterView> started = views.values().stream()
                    .filter(PostgresLockClusterView::isRunAllowed)
                    .sorted(Comparator.comparing(PostgresLockClusterView::getNamespace)).toList();
            int members = session.members();
            int fairShare = Math.max(1, (started.size() + members - 1) / members);
            List<PostgresLockClusterView> led = new ArrayList<>(started.stream().filter(PostgresLockClusterView::leading).toList());
            List<PostgresLockClusterView> handable = new ArrayList<>(led.stream()
                    .filter(v -> now - v.ledSince() >= minimumTenure.toNanos()).toList());
            handable.sort(Comparator.comparingLong(PostgresLockClusterView::ledSince).reversed());
            while (led.size() > fairShare && !handable.isEmpty()) {
                PostgresLockClusterView extra = handable.remove(0);
                led.remove(extra);
                LOG.info("Cluster: router {} hands {} over ({} routers, fair share {})", getId(), extra.getNamespace(), members, fairShare);
                release(extra);
            }
            int leading = led.size();
            // take nothing while Camel is still starting: a consumer started then (a timer, say) defers
            // its schedule to the end of start-up and would run even if leadership was lost meanwhile
            boolean camelStarted = getCamelContext() == null || getCamelContext().isStarted();
            for (PostgresLockClusterView v : started) {
                if (v.leading()) {
                    continue;
                }
                boolean mayTake = camelStarted && leading < fairShare && !v.releasedWithin(now, heartbeat.toNanos() * 3);
                if (mayTake && session.tryLock(v.lockKey())) {
                    long epoch = session.recordLeadership(v.getNamespace());
                    LOG.info("Cluster: router {} leads {} (epoch {})", getId(), v.getNamespace(), epoch);
                    v.took(epoch, now);
                    leading++;
                } else {
                    v.otherLeader(session.holderOf(v.lockKey()).orElse(null));
                }
            }
            if (outageLogged) {
                LOG.info("Cluster: router {} is connected to the database again", getId());
                outageLogged = false;
            }
        } catch (SQLException | RuntimeException e) {
            if (!outageLogged) {
                LOG.warn("Cluster: router {} lost its database session ({}); it leads nothing until the database answers again",
                        getId(), e.getMessage());
                outageLogged = true;
            }
            views.values().forEach(v -> v.lost(now));
            session.close();
        }
    }

    /** Test hook: the backend pid of the lock session, so a test can end it the way a network cut would. */
    synchronized int sessionPid() throws SQLException {
        session.ensureOpen();
        return session.backendPid();
    }
}
