package pbx.presence.wiring;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.StoreException;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.LegacyImport;
import pbx.presence.store.Retention;
import pbx.presence.store.RouterLock;
import pbx.presence.store.StoreSettings;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The event store: embedded SQLite under {@code data/} unless {@code presence.store.url} names a
 * PostgreSQL server; the one-router lock; the import of a file-based {@code data/} folder left by an
 * earlier release; closed after the routes when Camel stops.
 */
public final class StoreConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence");

    private StoreConfiguration() {
    }

    public static JdbcEventStore wire(CamelContext context, Settings s) throws Exception {
        Path stateDir = Path.of(s.get("presence.state.directory", "data/state"));
        Path outboxDir = Path.of(s.get("presence.outbox.directory", "data/outbox"));
        String file = s.get("presence.store.file", "");
        Path parent = stateDir.toAbsolutePath().getParent();
        Path dbFile = file.isEmpty() ? (parent == null ? Path.of("presence.db") : parent.resolve("presence.db")) : Path.of(file);
        StoreSettings settings = new StoreSettings(dbFile, s.get("presence.store.url", ""), s.get("presence.store.username", ""),
                s.get("presence.store.password", ""), s.integer("presence.store.pool-size", 8));
        if (!settings.embedded() && !settings.url().startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("presence.store.url must be empty (embedded store) or a jdbc:postgresql:// URL, was '"
                    + settings.where() + "'");
        }
        HikariDataSource dataSource = Stores.dataSource(settings);
        JdbcEventStore store = Stores.store(settings, dataSource);
        RouterLock[] locks = new RouterLock[2];
        // in a cluster the routers share the store; leadership per source and sink replaces the one-router lock
        if (!settings.embedded() && ClusterConfiguration.mode(s) == ClusterConfiguration.Mode.NONE) {
            store.onFirstUse(st -> locks[1] = Stores.advisoryLock(settings));
        }
        store.onFirstUse(new LegacyImport(stateDir, outboxDir)::run);
        Retention retention = new Retention(store, s.duration("presence.events.retention", Duration.ofDays(7)), Clock.systemUTC(), 1000);
        int pruneSeconds = s.integer("presence.events.prune-interval-seconds", 60);
        if (pruneSeconds < 1) {
            throw new IllegalArgumentException("presence.events.prune-interval-seconds must be at least 1, was " + pruneSeconds);
        }
        ScheduledExecutorService[] pruner = new ScheduledExecutorService[1];
        // started with Camel, before the routes; stopped after them
        context.addService(new ServiceSupport() {
            @Override
            protected void doStart() {
                if (settings.embedded()) {
                    locks[0] = RouterLock.onFolder(dbFile.toAbsolutePath().getParent());
                }
                try {
                    store.ready();
                } catch (StoreException e) {
                    LOG.warn("{}; polls fail until it is usable, and the router goes on by itself once it is", e.getMessage());
                }
                pruner[0] = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "presence-retention");
                pruner[0].scheduleWithFixedDelay(retention, pruneSeconds, pruneSeconds, TimeUnit.SECONDS);
            }

            @Override
            protected void doStop() {
                if (pruner[0] != null) {
                    context.getExecutorServiceManager().shutdownNow(pruner[0]);
                }
                dataSource.close();
                for (RouterLock l : locks) {
                    if (l != null) {
                        l.close();
                    }
                }
            }
        }, true, true);
        return store;
    }
}
