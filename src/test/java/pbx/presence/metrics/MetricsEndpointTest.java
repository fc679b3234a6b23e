package pbx.presence.metrics;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pbx.presence.RouterTestSupport;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.Failure;
import pbx.presence.demo.SimulatedCall;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's own metrics (README "Metrics") on {@code /observe/metrics}, read over real HTTP after
 * real polls of the demo PBX and real deliveries to a webhook receiver; and a sink that falls behind
 * its limit making readiness DOWN, naming it, until it catches up.
 */
class MetricsEndpointTest extends RouterTestSupport {

    private static final String CC = "demo-3cx-callcontrol";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static int managementPort;
    private static HttpServer receiver;
    /** The receiver's answer to one event (its JSON). */
    private static volatile ToIntFunction<String> answer = body -> 200;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startReceiver() throws IOException {
        managementPort = freePort();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                int status = answer.applyAsInt(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Override
    protected void configure(Properties p) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        p.put("camel.management.enabled", "true");
        p.put("camel.management.port", Integer.toString(managementPort));
        p.put("presence.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        p.put("presence.webhook.secret", "whsec_" + Base64.getEncoder().encodeToString(key));
        p.put("presence.webhook.initial-delay-millis", "100");
        p.put("presence.webhook.backoff-multiplier", "2");
        p.put("presence.webhook.max-delay-millis", "200");
        p.put("presence.webhook.max-attempts", "1000");
        // the webhook takes extensions 201 and 202 only: everything else is left out by its filter
        p.put("presence.webhook.extensions", "20[12]");
        p.put("presence.sink.lag-ready-max-age-seconds", "2");
        p.put("presence.source.down-after-failures", "100");
    }

    @Test
    void sourcesAndSinksShowOnTheMetricsEndpoint() throws Exception {
        answer = body -> body.contains("\"subject\":\"201\"") ? 400 : 200; // 400 is final: 201's events are dead-lettered
        await().atMost(WAIT).until(() -> baselineRecorded(CC));
        for (String extension : List.of("201", "202", "203")) {
            demo().pbx().update(extension, e -> e.withCall(SimulatedCall.direct(demo().pbx().nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        }
        Map<String, String> webhook = Map.of("sink", "webhook");
        await().atMost(WAIT).until(() -> {
            List<Sample> m = metrics();
            return sum(m, "pbx_presence_sink_delivered_total", webhook) >= 1 && sum(m, "pbx_presence_sink_dead_lettered_total", webhook) >= 1
                    && sum(m, "pbx_presence_sink_filtered_total", webhook) >= 1
                    && sum(m, "pbx_presence_events_total", Map.of("source", CC, "type", "pbx.presence.changed")) >= 3;
        });
        List<Sample> m = metrics();
        Map<String, String> cc = Map.of("source", CC);
        assertTrue(sum(m, "pbx_presence_source_poll_duration_seconds_count", Map.of("source", CC, "outcome", "ok")) >= 2, "polls timed");
        assertTrue(m.stream().anyMatch(s -> s.name().equals("pbx_presence_source_poll_duration_seconds_bucket")
                && s.labels().get("source").equals(CC) && s.labels().containsKey("le")), "a histogram with buckets");
        assertEquals(DemoScenario.initialExtensions().size(), sum(m, "pbx_presence_source_extensions", cc), "extensions tracked");
        assertTrue(m.stream().anyMatch(s -> s.name().equals("pbx_presence_source_changes_deferred") && s.labels().equals(cc)),
                "the backlog gauge, per source");
        assertEquals(0, sum(m, "pbx_presence_source_changes_deferred", cc), "nothing left for later at this size");
        assertTrue(sum(m, "pbx_presence_sink_delivered_total", Map.of("sink", "file")) >= 3, "the file sink's deliveries");
        // each sink catches up: no event behind, none pending
        await().atMost(WAIT).until(() -> sum(metrics(), "pbx_presence_sink_lag_events", webhook) == 0
                && sum(metrics(), "pbx_presence_sink_lag_events", Map.of("sink", "file")) == 0);
        assertEquals(0, sum(metrics(), "pbx_presence_sink_oldest_pending_age_seconds", webhook));

        demo().callControlSimulator().setFailure(Failure.HTTP_500);
        await().atMost(WAIT).until(() ->
                sum(metrics(), "pbx_presence_source_poll_failures_total", Map.of("source", CC, "reason", "http_status")) >= 2);
        assertTrue(sum(metrics(), "pbx_presence_source_poll_duration_seconds_count", Map.of("source", CC, "outcome", "failed")) >= 2);
        demo().callControlSimulator().setFailure(Failure.NONE);
    }

    @Test
    void aSinkBehindItsLimitMakesReadinessDownUntilItCatchesUp() throws Exception {
        answer = body -> 503; // retried again and again: the webhook's position stays before the event
        await().atMost(WAIT).until(() -> baselineRecorded(CC));
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready")).build();
        await().atMost(WAIT).until(() -> http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

        demo().pbx().update("201", e -> e.withCall(SimulatedCall.direct(demo().pbx().nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        await().atMost(WAIT).until(() -> {
            HttpResponse<String> r = http.send(ready, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 503 && r.body().contains("sink(s) behind: webhook (");
        });
        List<Sample> m = metrics();
        assertTrue(sum(m, "pbx_presence_sink_lag_events", Map.of("sink", "webhook")) >= 1, "events behind");
        assertTrue(sum(m, "pbx_presence_sink_oldest_pending_age_seconds", Map.of("sink", "webhook")) > 2, "the oldest pending is old");
        assertEquals(0, sum(m, "pbx_presence_sink_lag_events", Map.of("sink", "file")), "the file sink is not held up");

        answer = body -> 200;
        await().atMost(WAIT).until(() -> http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        assertEquals(0, sum(metrics(), "pbx_presence_sink_lag_events", Map.of("sink", "webhook")));
    }

    /** One line of the Prometheus text format. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private List<Sample> metrics() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        List<Sample> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            Matcher l = LINE.matcher(line);
            if (line.startsWith("#") || !l.find()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (l.group(2) != null) {
                Matcher a = LABEL.matcher(l.group(2));
                while (a.find()) {
                    labels.put(a.group(1), a.group(2));
                }
            }
            out.add(new Sample(l.group(1), labels, Double.parseDouble(l.group(3))));
        }
        return out;
    }

    /** Sum of the series of that name carrying those labels; -1 when there is none. */
    private static double sum(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> match = samples.stream().filter(s -> s.name().equals(name)
                && labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey())))).toList();
        return match.isEmpty() ? -1 : match.stream().mapToDouble(Sample::value).sum();
    }
}
