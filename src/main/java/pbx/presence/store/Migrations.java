package pbx.presence.store;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** Creates or migrates the schema with Flyway: one set of SQL for SQLite and PostgreSQL ({@code db/migration}). */
final class Migrations {

    private Migrations() {
    }

    /**
     * Creates a new SQLite file with 512-byte pages before the pool opens it (the page size is fixed
     * when the first page is written, and the pool's WAL setting would write it first): a poll's
     * scattered row updates then rewrite small pages, which is what keeps its writes small
     * (docs/benchmarks.md). An existing file is left as it is, but one that does not start with
     * SQLite's header is refused here, at once: the pool would otherwise wait its whole connection
     * timeout on every poll before saying the same.
     */
    static void createSqliteFile(Path file) {
        if (Files.exists(file)) {
            requireSqliteHeader(file);
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("PRAGMA page_size = 512");
                st.execute("PRAGMA journal_mode = WAL");
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every SQLite database file that is not empty starts with these 16 bytes. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static void requireSqliteHeader(Path file) {
        byte[] head = new byte[SQLITE_HEADER.length];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (n > 0 && !java.util.Arrays.equals(head, SQLITE_HEADER)) {
            throw new IllegalStateException(file + " is not a database (an SQLite file starts with \"SQLite format 3\")");
        }
    }

    static void migrate(DataSource dataSource, boolean embedded) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("bytes", embedded ? "BLOB" : "BYTEA"))
                .load()
                .migrate();
    }
}
