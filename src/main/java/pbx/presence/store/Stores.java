package pbx.presence.store;

import com.zaxxer.hikari.HikariDataSource;
import pbx.presence.change.StoreException;

import java.sql.SQLException;

/** Builds the store's parts from {@link StoreSettings}, so the wiring needs no database class of its own. */
public final class Stores {

    private Stores() {
    }

    public static HikariDataSource dataSource(StoreSettings settings) {
        return DataSources.open(settings);
    }

    public static JdbcEventStore store(StoreSettings settings, HikariDataSource dataSource) {
        return new JdbcEventStore(dataSource, settings.where(), () -> {
            if (settings.embedded()) {
                Migrations.createSqliteFile(settings.file());
            }
            Migrations.migrate(dataSource, settings.embedded());
        }, settings.embedded() ? settings.file() : null);
    }

    /** An embedded store on {@code file} with its own pool, for tools and tests; close it with {@link JdbcEventStore#close()}. */
    public static JdbcEventStore embedded(java.nio.file.Path file) {
        StoreSettings settings = new StoreSettings(file, "", "", "", 2);
        return store(settings, dataSource(settings));
    }

    /** The PostgreSQL one-router lock; a {@link StoreException} (retried at the next use) while the server is unreachable. */
    static RouterLock advisoryLockOrFail(StoreSettings settings) {
        try {
            return RouterLock.onPostgres(settings);
        } catch (SQLException e) {
            throw new StoreException("the event store " + settings.where() + " cannot be reached: " + JdbcEventStore.rootMessage(e), e);
        }
    }

    public static RouterLock advisoryLock(StoreSettings settings) {
        return advisoryLockOrFail(settings);
    }
}
