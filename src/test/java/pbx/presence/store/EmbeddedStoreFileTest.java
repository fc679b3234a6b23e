package pbx.presence.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.change.StoreException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store file that is not an SQLite database is refused by its header, before the pool tries it (the
 * pool would wait its connection timeout on every poll first), and is left exactly as it was.
 */
class EmbeddedStoreFileTest {

    @TempDir
    Path dir;

    @Test
    void aFileWithoutSqlitesHeaderIsRefusedByNameAndLeftAlone() throws Exception {
        Path file = dir.resolve("presence.db");
        byte[] garbage = "this is not a database ".repeat(100).getBytes();
        Files.write(file, garbage);
        JdbcEventStore store = Stores.embedded(file);
        try {
            StoreException e = assertThrows(StoreException.class, store::ready);
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("is not a database (an SQLite file starts with")
                    && e.getMessage().contains("restore it from a backup"), e.getMessage());
            assertThrows(StoreException.class, store::ready, "still refused at the next poll");
            assertArrayEquals(garbage, Files.readAllBytes(file));
        } finally {
            store.close();
        }
    }

    @Test
    void anEmptyFileIsANewDatabase() throws Exception {
        Path file = dir.resolve("presence.db");
        Files.createFile(file);
        JdbcEventStore store = Stores.embedded(file);
        try {
            store.ready();
            assertTrue(store.load("nobody").isEmpty());
        } finally {
            store.close();
        }
    }
}
