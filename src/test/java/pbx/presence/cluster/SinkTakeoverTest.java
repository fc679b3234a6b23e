package pbx.presence.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.DataFolder;
import pbx.presence.EmbeddedRouter;
import pbx.presence.demo.DemoPbx;
import pbx.presence.change.PresenceLog;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.PostgresServer;
import pbx.presence.store.StoreSettings;
import pbx.presence.store.Stores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sink whose leadership is held elsewhere while this router's sources commit still receives
 * those events once this router takes it: a new sink starts where the log stood before the
 * router's first commit, not where it stands when the sink's consumer finally starts (in a cluster
 * that is whenever its lock comes free, by which time events may have been committed).
 */
class SinkTakeoverTest {

    @TempDir
    Path dir;

    @Test
    void eventsCommittedBeforeTheSinkIsLedAreDeliveredOnceItIs() throws Exception {
        Map<String, String> store = PostgresServer.storeProperties();
        String url = store.get("presence.store.url");
        try (Connection otherRouter = DriverManager.getConnection(url, "postgres", "")) {
            // another "router" holds the file sink's lock, as a router that leads it and has not started it yet
            lock(otherRouter, "pg_advisory_lock", "sink-file");
            StoreSettings settings = new StoreSettings(null, url, "postgres", "", 2);
            JdbcEventStore log = Stores.store(settings, Stores.dataSource(settings));
            try (EmbeddedRouter router = new EmbeddedRouter(props(store)).start()) {
                String firstEventId = await().atMost(Duration.ofSeconds(30)).until(() -> eventIdAt(log, 1), id -> id != null);
                await().atMost(Duration.ofSeconds(30)).until(() -> position(url, "file") != null);
                assertTrue(written().isEmpty(), "the file sink delivered while another router held it");

                lock(otherRouter, "pg_advisory_unlock", "sink-file");
                await().atMost(Duration.ofSeconds(30)).until(() -> written().contains("\"id\":\"" + firstEventId + "\""));
            } finally {
                log.close();
            }
        }
    }

    private static void lock(Connection c, String function, String namespace) throws Exception {
        try (PreparedStatement st = c.prepareStatement("SELECT " + function + "(?, ?)")) {
            st.setInt(1, AdvisoryLockSession.LOCK_CLASS);
            st.setInt(2, AdvisoryLockSession.keyOf(namespace));
            st.execute();
        }
    }

    /** The id of the event at a log position, or null while there is none, read as the API reads it. */
    private static String eventIdAt(JdbcEventStore log, long position) throws Exception {
        List<PresenceLog.LoggedEvent> events = log.eventsAfter(position - 1, 1, null, null);
        return events.isEmpty() || events.get(0).position() != position ? null
                : new ObjectMapper().readTree(events.get(0).json()).get("id").asText();
    }

    private static Long position(String url, String sink) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement st = c.prepareStatement("SELECT position FROM sink_position WHERE sink = ?")) {
            st.setString(1, sink);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Everything the file sink has written so far. */
    private String written() throws Exception {
        Path events = dir.resolve("events");
        if (!Files.isDirectory(events)) {
            return "";
        }
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(events)) {
            for (Path f : files.toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    private Map<String, String> props(Map<String, String> store) {
        Map<String, String> p = new HashMap<>(DataFolder.routerProperties(dir,
                "presence.replay.directory", dir.resolve("replay").toString(),
                "presence.cluster.mode", "database",
                "presence.cluster.member-id", "only",
                "presence.cluster.heartbeat-millis", "200",
                // every extension's first sight is an event: the first poll commits some at once
                "presence.baseline.emit-added", "true",
                "presence.demo.enabled", "true"));
        p.putAll(store);
        DemoPbx.VENDOR_SIMULATORS.keySet().forEach(v -> p.put(DemoPbx.portProperty(v), "0"));
        p.put(DemoPbx.HTTP_PORT_PROPERTY, "0");
        p.put(DemoPbx.CALLCONTROL_PORT_PROPERTY, "0");
        return p;
    }
}
