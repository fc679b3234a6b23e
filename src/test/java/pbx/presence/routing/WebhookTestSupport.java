package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import pbx.presence.RouterTestSupport;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real router (see {@link RouterTestSupport}) with its webhook sink pointed at a real
 * {@link WebhookReceiver} on a free loopback port and a secret generated for the test class.
 * The receiver is static because Camel's test support reads the properties in its constructor.
 */
abstract class WebhookTestSupport extends RouterTestSupport {

    static final String CC = "demo-3cx-callcontrol";
    static final Duration EVENT_WAIT = Duration.ofSeconds(15);

    static WebhookReceiver receiver;
    static String secret;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
        secret = WebhookReceiver.newSecret();
    }

    @AfterAll
    static void stopReceiver() {
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
    }

    @BeforeEach
    void freshReceiver() {
        receiver.restart();
        receiver.reset();
    }

    @Override
    protected final void configure(Properties p) {
        p.put("presence.webhook.url", receiver.url());
        p.put("presence.webhook.secret", secret);
        p.put("presence.webhook.initial-delay-millis", "100");
        p.put("presence.webhook.backoff-multiplier", "2");
        p.put("presence.webhook.max-delay-millis", "400");
        p.put("presence.webhook.max-attempts", "5");
        webhook(p);
    }

    /** Per-class overrides (filters, attempts, timeouts). */
    void webhook(Properties p) {
    }

    /** Waits for the first poll of the Call Control source: its silent baseline. */
    void awaitBaseline() {
        await().atMost(EVENT_WAIT).until(() -> baselineRecorded(CC));
        await().atMost(EVENT_WAIT).until(() -> baselineRecorded("demo-3cx-http") || !httpSourceConfigured());
    }

    private boolean httpSourceConfigured() {
        return context.getRoute("source-demo-3cx-http") != null;
    }

    /** Changes one simulated extension and waits until the file sink has written the resulting Call Control event. */
    JsonNode change(String extension, UnaryOperator<SimulatedExtension> change) {
        int before = fileEvents(CC, extension).size();
        demo().pbx().update(extension, change);
        await().atMost(EVENT_WAIT).until(() -> fileEvents(CC, extension).size() > before);
        List<JsonNode> events = fileEvents(CC, extension);
        return events.get(events.size() - 1);
    }

    JsonNode callStarts(String extension) {
        var pbx = demo().pbx();
        return change(extension, e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
    }

    JsonNode callEnds(String extension) {
        return change(extension, SimulatedExtension::withNoCalls);
    }

    /** Ids of every event the file sink wrote, in its order (the log order every sink reads in). */
    List<String> fileEventIds() {
        return fileEvents().stream().map(e -> e.path("id").asText()).toList();
    }

    /**
     * Asserts that the webhook delivered exactly the events the file sink wrote and, per source and
     * extension, in the same (sequence) order. Across sources the two sinks may interleave
     * differently only through retries and redeliveries; per extension the order is the log's.
     */
    void assertDeliveredInPerExtensionOrder() {
        List<String> delivered = receiver.deliveredIds();
        assertEquals(new HashSet<>(fileEventIds()), new HashSet<>(delivered), "the webhook got what the file sink got");
        assertEquals(byExtension(fileEventIds()), byExtension(delivered), "same order per source and extension");
        byExtension(delivered).forEach((key, sequences) -> {
            for (int i = 1; i < sequences.size(); i++) {
                assertTrue(sequences.get(i) > sequences.get(i - 1), key + " in sequence order: " + sequences);
            }
        });
    }

    /**
     * Waits until the webhook has delivered exactly what the file sink wrote, per extension in order
     * (the second demo source may report a change a poll later, so this is awaited, not asserted once).
     */
    void awaitAllDeliveredInPerExtensionOrder() {
        await().atMost(EVENT_WAIT).untilAsserted(this::assertDeliveredInPerExtensionOrder);
    }

    /** "source:extension" → the sequence numbers of its event ids ("source:extension:sequence"), in list order. */
    static Map<String, List<Long>> byExtension(List<String> ids) {
        Map<String, List<Long>> map = new TreeMap<>();
        for (String id : ids) {
            int last = id.lastIndexOf(':');
            map.computeIfAbsent(id.substring(0, last), k -> new ArrayList<>()).add(Long.parseLong(id.substring(last + 1)));
        }
        return map;
    }

    Path deadLetterDir() {
        return dataDir().resolve("dead-letter/webhook");
    }

    /** Every line in the webhook dead-letter folder, file by file in name order. */
    List<String> deadLetterLines() {
        return lines(deadLetterDir());
    }

    /** JSON of the events after the webhook sink's position in the log: not delivered or dead-lettered yet. */
    List<String> webhookPending() {
        return pending("webhook");
    }

    /** Where an operator moves dead-letter files to have them posted again (presence.replay.directory/webhook). */
    Path webhookReplay() {
        return dataDir().resolve("replay/webhook");
    }

    static List<Path> jsonlFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path dir) {
        List<String> lines = new ArrayList<>();
        try {
            for (Path f : jsonlFiles(dir)) {
                Files.readAllLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
