package pbx.presence.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.EmbeddedRouter;
import pbx.presence.LogCapture;
import pbx.presence.change.PresenceLog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * presence.store.password never appears in the log: not at start, not in the summary, not when the
 * database cannot be reached (every failure line names the store by its URL without credentials).
 */
class StorePasswordTest {

    private static final String PASSWORD = "St0re&pass+w%rd#1";

    @TempDir
    Path dataDir;

    @Test
    void theStorePasswordIsNeverLogged() throws Exception {
        String url = PostgresServer.newDatabase();
        try (LogCapture log = LogCapture.open()) {
            try (EmbeddedRouter router = new EmbeddedRouter(properties(url)).start()) {
                PresenceLog store = router.context().getRegistry().lookupByNameAndType("presenceLog", PresenceLog.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> store.headPosition() >= 0);
            }
            // a server that is not there: the failure lines name the URL, never the password
            try (EmbeddedRouter router = new EmbeddedRouter(properties("jdbc:postgresql://127.0.0.1:9/nowhere")).start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> log.all().contains("jdbc:postgresql://127.0.0.1:9/nowhere"));
            }
            assertTrue(log.all().contains("State and event log in " + url), "the store is named at start");
            assertFalse(log.all().contains(PASSWORD), "the password is never logged");
            assertFalse(log.all().contains("St0re"), "nor any part of it");
        }
    }

    private Map<String, String> properties(String url) {
        return new HashMap<>(Map.of(
                "presence.store.url", url,
                "presence.store.username", "postgres",
                "presence.store.password", PASSWORD,
                "presence.state.directory", dataDir.resolve("state").toString(),
                "presence.file.directory", dataDir.resolve("events").toString(),
                "presence.demo.enabled", "false",
                "camel.management.enabled", "false"));
    }
}
