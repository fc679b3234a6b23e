package pbx.presence.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pbx.presence.LogCapture;
import pbx.presence.RouterTestSupport;
import pbx.presence.demo.SimulatedCall;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the router with known secret values on failing sinks (so errors get logged) and checks that
 * no secret appears in the captured logs, the events, the dead letters, or the health and metrics
 * output.
 */
class SecretsDoNotLeakTest extends RouterTestSupport {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final String KEY_BASE64 = Base64.getEncoder().encodeToString(KEY);
    private static final String WEBHOOK_SECRET = "whsec_" + KEY_BASE64;
    /** URI syntax inside: the password must never pass through the mail URI. */
    private static final String SMTP_PASSWORD = "Sm7pPa55&w0rd+Xyz%2#9";
    private static int closedPort;
    private static int managementPort;

    /** Opened before the router starts: start-up lines (configuration summaries) are where secrets like to leak. */
    private static LogCapture logs;

    @BeforeAll
    static void ports() throws Exception {
        logs = LogCapture.open();
        closedPort = RouterTestSupport.freePort();
        managementPort = RouterTestSupport.freePort();
    }

    @AfterAll
    static void release() {
        logs.close();
    }

    @Override
    protected void configure(Properties p) {
        p.put("presence.webhook.url", "http://127.0.0.1:" + closedPort + "/hook");
        p.put("presence.webhook.secret", WEBHOOK_SECRET);
        p.put("presence.webhook.max-attempts", "2");
        p.put("presence.webhook.initial-delay-millis", "50");
        p.put("presence.email.url", "smtp://127.0.0.1:" + closedPort + "?username=alerts");
        p.put("presence.email.password", SMTP_PASSWORD);
        p.put("presence.email.to", "ops@example.com");
        p.put("presence.email.max-redeliveries", "1");
        p.put("presence.email.initial-delay-millis", "50");
        p.put("camel.management.enabled", "true");
        p.put("camel.management.port", Integer.toString(managementPort));
    }

    @Test
    void secretsAppearNowhere() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> baselineRecorded("demo-3cx-callcontrol"));
        demo().pbx().update("202", e -> e.withCall(SimulatedCall.direct(demo().pbx().nextCallId(), SimulatedCall.CONNECTED, "+4930111")));
        // both deliveries fail, retry and dead-letter: the paths where a secret could leak into a log line
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters("webhook").size() >= 1 && deadLetters("email").size() >= 1);

        List<String> outputs = new ArrayList<>();
        outputs.add(logs.all());
        outputs.addAll(fileEventLines());
        for (Path f : deadLetters("webhook")) {
            outputs.add(Files.readString(f));
        }
        for (Path f : deadLetters("email")) {
            outputs.add(Files.readString(f));
        }
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/observe/health", "/observe/metrics")) {
            outputs.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
        assertTrue(logs.all().contains("Webhook gave up"), "the failing webhook was logged, so this test looked at real error lines");
        assertTrue(logs.all().contains("Sink e-mail: sends to"), "start-up lines were captured too");
        for (String out : outputs) {
            for (String secret : List.of(WEBHOOK_SECRET, KEY_BASE64, SMTP_PASSWORD)) {
                assertFalse(out.contains(secret), "a secret leaked into: " + excerpt(out, secret));
            }
            // nor a piece of the SMTP password (a URI would cut it at & + % #)
            for (int i = 0; i + 5 <= SMTP_PASSWORD.length(); i++) {
                String piece = SMTP_PASSWORD.substring(i, i + 5);
                assertFalse(out.contains(piece), "a piece of the SMTP password leaked into: " + excerpt(out, piece));
            }
        }
    }

    private List<Path> deadLetters(String sink) throws Exception {
        Path dir = dataDir().resolve("dead-letter").resolve(sink);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static String excerpt(String text, String secret) {
        int i = text.indexOf(secret);
        return text.substring(Math.max(0, i - 200), Math.min(text.length(), i + secret.length() + 50));
    }
}
