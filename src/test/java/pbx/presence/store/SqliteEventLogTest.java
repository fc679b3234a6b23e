package pbx.presence.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store's promises on the embedded SQLite file. */
class SqliteEventLogTest extends EventLogContract {

    @TempDir
    Path dir;

    @Override
    JdbcEventStore newStore() {
        return Stores.embedded(dir.resolve("presence.db"));
    }

    @Override
    String bytes(String hex) {
        return "X'" + hex + "'";
    }
}
