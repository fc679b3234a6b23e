package pbx.presence.store;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.util.Map;

/** Creates or migrates the schema with Flyway: one set of SQL for SQLite and PostgreSQL ({@code db/migration}). */
final class Migrations {

    private Migrations() {
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
