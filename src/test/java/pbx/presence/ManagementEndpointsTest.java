package pbx.presence;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health and Prometheus metrics on the management port, bound to loopback. */
class ManagementEndpointsTest extends RouterTestSupport {

    private static int port;

    @BeforeAll
    static void pickPort() throws Exception {
        port = RouterTestSupport.freePort();
    }

    @Override
    protected void configure(Properties p) {
        p.put("camel.management.enabled", "true");
        p.put("camel.management.port", Integer.toString(port));
        p.put("presence.source.down-after-failures", "2");
    }

    @Test
    void aSourceThatIsDownMakesTheRouterNotReadyAndIsNamed() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> baselineRecorded("demo-3cx-callcontrol"));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/ready")).build();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        demo().callControlSimulator().setFailure(pbx.presence.demo.Failure.HTTP_500);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 503 && r.body().contains("demo-3cx-callcontrol");
        });

        demo().callControlSimulator().setFailure(pbx.presence.demo.Failure.NONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    @Test
    void healthAndMetricsAnswerOnLoopback() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> baselineRecorded("demo-3cx-callcontrol"));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest healthRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health")).build();
        // every route's consumer must have polled once before the router reports UP
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> r = http.send(healthRequest, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"status\":\"UP\"");
        });

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("routeId=\"presence-pipeline\""), "per-route exchange metrics for the pipeline");
        assertTrue(metrics.body().contains("jvm_memory"), "JVM metrics");
    }
}
