package pbx.presence.cluster;

import pbx.presence.RouterTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.DataFolder;
import pbx.presence.EmbeddedRouter;
import pbx.presence.config.ConfigurationException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** presence.cluster.mode as an operator meets it: a wrong setting stops the start in one line; one router leads everything. */
class ClusterModeTest {

    @TempDir
    Path dataDir;

    @Test
    void databaseModeOnTheEmbeddedStoreIsRefusedInOneLine() {
        String m = failure(Map.of("presence.cluster.mode", "database"));
        assertTrue(m.contains("presence.cluster.mode=database needs presence.store.url") && !m.contains("\n"), m);
    }

    @Test
    void kubernetesModeOnTheEmbeddedStoreIsRefusedInOneLine() {
        // its fencing epochs live in the shared store, so a store only this router sees cannot do
        String m = failure(Map.of("presence.cluster.mode", "kubernetes"));
        assertTrue(m.contains("presence.cluster.mode=kubernetes needs presence.store.url") && !m.contains("\n"), m);
    }

    @Test
    void anUnknownModeIsRefused() {
        String m = failure(Map.of("presence.cluster.mode", "zookeeper"));
        assertTrue(m.contains("presence.cluster.mode must be none, database or kubernetes, was 'zookeeper'"), m);
    }

    @Test
    void oneRouterLeadsEverySourceAndSinkAndSaysSo() throws Exception {
        Map<String, String> props = base();
        props.put("presence.demo.enabled", "true");
        props.put("presence.demo.3cx-http.port", "0");
        props.put("presence.demo.3cx-callcontrol.port", "0");
        for (String v : new String[] {"3cx-v20", "voipnow", "telphin", "telecomx"}) {
            props.put("presence.demo." + v + ".port", "0");
        }
        int port = RouterTestSupport.freePort();
        props.put("camel.management.enabled", "true");
        props.put("camel.management.port", Integer.toString(port));
        HttpClient http = HttpClient.newHttpClient();
        try (EmbeddedRouter router = new EmbeddedRouter(props).start()) {
            for (String path : new String[] {"/observe/health/ready", "/observe/health"}) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
                await().atMost(Duration.ofSeconds(20)).until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(body.contains("leads sources [demo-3cx-callcontrol,demo-3cx-http,demo-3cx-v20,demo-telecomx,demo-telphin,"
                        + "demo-voipnow] and sinks [file]" + "\""), path + ": " + body);
            }
            HttpRequest metrics = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build();
            String body = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.contains("pbx_presence_source_leader{source=\"demo-3cx-http\"} 1.0"), body);
            assertTrue(body.contains("pbx_presence_sink_leader{sink=\"file\"} 1.0"), body);
            assertTrue(body.contains("pbx_presence_sink_leader{sink=\"webhook\"} 0.0"), "a disabled sink is led by nobody: " + body);
        }
    }

    private Map<String, String> base() {
        Map<String, String> all = new HashMap<>(DataFolder.routerProperties(dataDir));
        return all;
    }

    private String failure(Map<String, String> props) {
        Map<String, String> all = base();
        all.putAll(props);
        EmbeddedRouter router = new EmbeddedRouter(all);
        Exception e = assertThrows(Exception.class, router::start);
        try {
            router.close();
        } catch (Exception ignored) {
            // the router never started
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException) {
                return t.getMessage();
            }
        }
        throw new AssertionError("expected a ConfigurationException, got " + e, e);
    }
}
