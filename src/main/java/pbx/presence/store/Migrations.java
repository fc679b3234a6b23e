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
     * (docs/benchmarks.md). An existing file is left as it is.
     */
    static void createSqliteFile(Path file) {
        if (Files.exists(file)) {
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

    static void migrate(DataSource dataSource, boolean embedded) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("bytes", embedded ? "BLOB" : "BYTEA"))
                .load()
                .migrate();
    }
}
