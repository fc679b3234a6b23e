package pbx.presence.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.DataFolder;
import pbx.presence.EmbeddedRouter;
import pbx.presence.LogCapture;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An API that would serve other machines without a token, or a nonsense number, stops the router at start. */
class ApiSettingsTest {

    @TempDir
    Path dataDir;

    @Test
    void listeningOffLoopbackWithoutATokenIsRefused() {
        String m = failure(Map.of("presence.api.host", "0.0.0.0", "presence.api.token", ""));
        assertTrue(m.contains("presence.api.token must be set") && m.contains("0.0.0.0"), m);
    }

    @Test
    void requiringATokenOnLoopbackWithoutOneIsRefused() {
        String m = failure(Map.of("presence.api.token-on-loopback", "true", "presence.api.token", ""));
        assertTrue(m.contains("presence.api.token must be set"), m);
    }

    @Test
    void aBadNumberNamesItsKey() {
        String m = failure(Map.of("presence.api.stream.heartbeat-seconds", "soon"));
        assertTrue(m.contains("presence.api.stream.heartbeat-seconds must be a whole number"), m);
    }

    @Test
    void thePreviousReleasesBufferKeyIsNamedAsNoLongerRead() {
        try (LogCapture log = LogCapture.open()) {
            // any start that gets as far as the API settings; this one then stops on the missing token
            failure(Map.of("presence.api.stream.buffer-events", "10000", "presence.api.host", "0.0.0.0", "presence.api.token", ""));
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("presence.api.stream.buffer-events is no longer read")
                    && l.contains("presence.api.stream.buffer-kilobytes")), String.join("", log.lines()));
        }
    }

    @Test
    void tokensNeverShowInTheirDescription() {
        BearerTokens tokens = new BearerTokens(java.util.List.of("s3cr3t-one", "s3cr3t-two"));
        assertFalse(tokens.toString().contains("s3cr3t"));
        assertTrue(tokens.accepts("Bearer s3cr3t-two"));
        assertTrue(tokens.accepts("bearer s3cr3t-one"));
        assertFalse(tokens.accepts("Bearer s3cr3t"));
        assertFalse(tokens.accepts(null));
    }

    private String failure(Map<String, String> props) {
        Map<String, String> all = new HashMap<>(DataFolder.routerProperties(dataDir));
        all.putAll(props);
        return EmbeddedRouter.configurationFailure(all);
    }
}
