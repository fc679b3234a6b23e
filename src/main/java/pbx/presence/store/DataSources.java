package pbx.presence.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A HikariCP pool for the store, started on first use. The pool starts even when the database is down
 * ({@code initializationFailTimeout = -1}): polls then fail one by one with a clear line and the
 * router recovers by itself once the database is back. A connection is waited for at most 5 s.
 */
final class DataSources {

    private DataSources() {
    }

    static HikariDataSource open(StoreSettings s) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("presence-store");
        c.setInitializationFailTimeout(-1);
        c.setConnectionTimeout(5000);
        c.setValidationTimeout(2000);
        if (s.embedded()) {
            c.setJdbcUrl("jdbc:sqlite:" + s.file());
            // WAL: readers never block the writer; FULL: a commit is on disk before it returns;
            // IMMEDIATE: a write transaction takes the write lock at BEGIN, so two writers queue
            // (busy_timeout) instead of failing halfway (the small page size is set when the file is
            // created: Migrations.createSqliteFile). The WAL is copied back into the database file
            // every 4,000 pages (2 MB) instead of SQLite's 1,000.
            c.addDataSourceProperty("journal_mode", "WAL");
            c.addDataSourceProperty("synchronous", "FULL");
            c.addDataSourceProperty("busy_timeout", "30000");
            c.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            c.addDataSourceProperty("wal_autocheckpoint", "4000");
            c.setMaximumPoolSize(Math.max(2, Math.min(s.poolSize(), 4)));
        } else {
            c.setJdbcUrl(s.url());
            c.setUsername(s.username());
            c.setPassword(s.password());
            c.setMaximumPoolSize(Math.max(2, s.poolSize()));
            // the router's transactions last milliseconds; one left open by a paused process (GC, SIGSTOP)
            // would hold log_head and, in a cluster, block the takeover of its sources (issue 12)
            c.addDataSourceProperty("options", "-c idle_in_transaction_session_timeout=5000");
        }
        // the no-argument form starts the pool at the first getConnection(): a start that fails before
        // the store is used leaves no pool thread and no database file behind
        HikariDataSource lazy = new HikariDataSource();
        c.copyStateTo(lazy);
        return lazy;
    }
}
