package pbx.presence.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.EmbeddedRouter;
import pbx.presence.RouterTestSupport;
import pbx.presence.store.PostgresServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two routers in database mode on one PostgreSQL, both running the demo's six sources: both are
 * ready, each says in readiness which sources it leads, together they lead every source exactly
 * once, and neither leads more than its fair share of sources and sinks.
 */
class ClusterReadinessTest {

    private static final Pattern LEADS = Pattern.compile("leads sources \\[([^\\]]*)\\]");
    private static final Pattern SINKS = Pattern.compile("and sinks \\[([^\\]]*)\\]");

    @TempDir
    Path dir;

    @Test
    void twoRoutersAreReadyAndSplitTheSources() throws Exception {
        Map<String, String> store = PostgresServer.storeProperties();
        HttpClient http = HttpClient.newHttpClient();
        int[] ports = {RouterTestSupport.freePort(), RouterTestSupport.freePort()};
        try (EmbeddedRouter a = new EmbeddedRouter(props("a", ports[0], store)).start();
             EmbeddedRouter b = new EmbeddedRouter(props("b", ports[1], store)).start()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Set<String> x = leads(http, ports[0], LEADS);
                Set<String> y = leads(http, ports[1], LEADS);
                Set<String> both = new TreeSet<>(x);
                both.retainAll(y);
                return !x.isEmpty() && !y.isEmpty() && both.isEmpty() && union(x, y).size() == 6;
            });
            assertEquals(Set.of("demo-3cx-callcontrol", "demo-3cx-http", "demo-3cx-v20", "demo-telecomx", "demo-telphin", "demo-voipnow"),
                    union(leads(http, ports[0], LEADS), leads(http, ports[1], LEADS)));
            for (int port : ports) {
                // six sources and the file sink on two routers: fair share ceil(7 / 2) = 4
                int led = leads(http, port, LEADS).size() + leads(http, port, SINKS).size();
                assertTrue(led <= 4, "router on port " + port + " leads " + led + ", more than its fair share");
            }
        }
    }

    /** The sources a router says it leads in /observe/health/ready; empty unless it answers 200 (ready). */
    private static Set<String> leads(HttpClient http, int port, Pattern what) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = what.matcher(r.body());
        if (r.statusCode() != 200 || !m.find() || m.group(1).isEmpty()) {
            return Set.of();
        }
        return new TreeSet<>(List.of(m.group(1).split(",")));
    }

    private static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> u = new TreeSet<>(x);
        u.addAll(y);
        return u;
    }

    private Map<String, String> props(String name, int managementPort, Map<String, String> store) {
        Map<String, String> p = new HashMap<>(store);
        p.put("presence.state.directory", dir.resolve(name + "/state").toString());
        p.put("presence.outbox.directory", dir.resolve(name + "/outbox").toString());
        p.put("presence.file.directory", dir.resolve(name + "/events").toString());
        p.put("presence.dead-letter.directory", dir.resolve(name + "/dead-letter").toString());
        p.put("presence.replay.directory", dir.resolve(name + "/replay").toString());
        p.put("presence.cluster.mode", "database");
        p.put("presence.cluster.member-id", name);
        p.put("presence.cluster.heartbeat-millis", "300");
        p.put("presence.cluster.minimum-tenure-millis", "600");
        p.put("camel.management.enabled", "true");
        p.put("camel.management.port", Integer.toString(managementPort));
        p.put("presence.demo.enabled", "true");
        for (String v : new String[] {"3cx-http", "3cx-callcontrol", "3cx-v20", "voipnow", "telphin", "telecomx"}) {
            p.put("presence.demo." + v + ".port", "0");
        }
        return p;
    }

}
