package pbx.presence;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import pbx.presence.change.PresenceLog.LoggedEvent;
import pbx.presence.store.JdbcEventStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Looks into a router's embedded store from outside, as an operator with the sqlite3 tool would:
 * read-only, never migrating or importing, so it can read while that router runs (another process
 * too) or after it stopped.
 */
public final class StoreProbe implements AutoCloseable {

    private final JdbcEventStore store;

    private StoreProbe(JdbcEventStore store) {
        this.store = store;
    }

    public static StoreProbe open(Path dbFile) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + dbFile);
        return new StoreProbe(new JdbcEventStore(ds, dbFile.toString(), () -> {
        }));
    }

    /** True once the store in {@code dbFile} holds the source's baseline (its first good poll). */
    public static boolean knows(Path dbFile, String sourceId) {
        try {
            return Files.exists(dbFile) && open(dbFile).store().sources().stream()
                    .anyMatch(s -> s.sourceId().equals(sourceId) && s.extensions() > 0);
        } catch (pbx.presence.change.StoreException e) {
            return false; // the router has not created its tables yet
        }
    }

    /** The stored state of every extension of a source (state and sequence), as JSON sorted by extension. */
    public static String state(Path dbFile, String sourceId) {
        try {
            return pbx.presence.model.Json.MAPPER.writeValueAsString(open(dbFile).store().snapshot().extensions().stream()
                    .filter(x -> x.sourceId().equals(sourceId)).toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public JdbcEventStore store() {
        return store;
    }

    /** Every stored sink position by sink name. */
    public Map<String, Long> positions() {
        return store.sinkPositions();
    }

    /** JSON of the events after the sink's position (all of them when it has none yet), in log order. */
    public List<String> pending(String sink) {
        return pending(store, sink);
    }

    /** JSON of the events after the sink's position in {@code store} (all of them when it has none yet), in log order. */
    public static List<String> pending(JdbcEventStore store, String sink) {
        long from = store.sinkPositions().getOrDefault(sink, 0L);
        List<String> out = new ArrayList<>();
        for (LoggedEvent e : store.eventsAfter(from, Integer.MAX_VALUE, null, null)) {
            out.add(e.json());
        }
        return out;
    }

    @Override
    public void close() {
    }
}
