package pbx.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.change.PresenceDiff;
import pbx.presence.change.SourceState;
import pbx.presence.delivery.WebhookSigner;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;
import pbx.presence.model.EventSchema;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.connector.threecx.ThreeCxCallControlTranslator;
import pbx.presence.connector.threecx.ThreeCxProfileMapping;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the packaged router as its own OS process against a changing simulated 3CX and a webhook
 * receiver that sometimes answers 503, kills it with SIGKILL at random moments (20 times by
 * default, {@code -Dcrash.cycles=N}), restarts it each time, and then checks the promise: every event
 * the detector produced reached the receiver (per extension, sequences 1..N with no gap, first
 * arrivals in order, duplicates allowed), and the stored state agrees with the PBX's final state.
 */
class CrashRecoveryIT {

    private static final String SOURCE = "crash-pbx";
    private static final int EXTENSIONS = 30;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    private final SimulatedPbx pbx = new SimulatedPbx();
    private final List<JsonNode> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private ThreeCxCallControlSimulator simulator;
    private HttpServer receiver;
    private ScheduledExecutorService mutator;
    private Process router;

    @AfterEach
    void tearDown() {
        if (router != null) {
            router.destroyForcibly();
        }
        if (mutator != null) {
            mutator.shutdownNow();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (simulator != null) {
            simulator.stop();
        }
    }

    @Test
    void sigkillAtRandomMomentsLosesNothing() throws Exception {
        assumeTrue(PackagedRouter.available(), "runs after `mvn package` (failsafe sets router.jar)");
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        int cycles = Integer.getInteger("crash.cycles", 20);

        for (int i = 0; i < EXTENSIONS; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(300 + i), "User " + i));
        }
        simulator = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0);
        simulator.start();
        startReceiver(random);
        prepareWorkDir();

        mutator = Executors.newSingleThreadScheduledExecutor();
        Random changes = new Random(seed + 1);
        mutator.scheduleAtFixedRate(() -> mutate(changes), 0, 40, TimeUnit.MILLISECONDS);

        Path log = work.resolve("router.log");
        for (int cycle = 0; cycle < cycles; cycle++) {
            int startsBefore = count(log, PackagedRouter.STARTED);
            router = start(log);
            await("start " + cycle + " (seed " + seed + ")").atMost(Duration.ofSeconds(60))
                    .until(() -> count(log, PackagedRouter.STARTED) > startsBefore || !router.isAlive());
            assertTrue(router.isAlive(), "router exited on start " + cycle + "; see " + log);
            int before = requests.get();
            int more = random.nextInt(12);
            await().atMost(Duration.ofSeconds(30)).until(() -> requests.get() >= before + more);
            router.destroyForcibly(); // SIGKILL
            router.waitFor();
        }

        mutator.shutdown();
        assertTrue(mutator.awaitTermination(5, TimeUnit.SECONDS));
        router = start(log);
        try {
            await("convergence (seed " + seed + ")").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> whyNotConverged() == null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no convergence (seed " + seed + "): " + whyNotConverged() + "; router log and data kept in " + work, e);
        }

        Map<String, List<Long>> bySubject = new HashMap<>();
        for (JsonNode d : deliveries) {
            if (!d.path("subject").isMissingNode() && !d.path("subject").isNull()) {
                bySubject.computeIfAbsent(d.path("subject").asText(), k -> new ArrayList<>()).add(d.path("sequence").asLong());
            }
        }
        SourceState state = StoreProbe.open(store()).store().load(SOURCE).orElseThrow();
        int events = 0;
        for (var e : state.extensions().entrySet()) {
            long stored = e.getValue().sequence();
            List<Long> arrivals = bySubject.getOrDefault(e.getKey(), List.of());
            long max = 0;
            for (long seq : arrivals) {
                assertTrue(seq <= max + 1, "extension " + e.getKey() + ": sequence " + seq + " arrived after " + max
                        + " (gap or disorder); arrivals " + arrivals + " (seed " + seed + ")");
                max = Math.max(max, seq);
            }
            assertEquals(stored, max, "extension " + e.getKey() + ": every event up to the stored sequence arrived");
            assertEquals(stored, new TreeSet<>(arrivals).size(), "no sequence missing for " + e.getKey());
            events += (int) stored;
        }
        assertTrue(events > cycles, "the run produced events to check (" + events + ")");

        List<ExtensionPresence> truth = new ThreeCxCallControlTranslator(SOURCE, ThreeCxProfileMapping.defaults(), false)
                .translate(fetch(simulator.extensionsUrl()), Instant.now());
        for (ExtensionPresence p : truth) {
            ExtensionPresence stored = state.extensions().get(p.extension()).last();
            assertTrue(PresenceDiff.changedFields(stored, p).isEmpty(),
                    "stored state of " + p.extension() + " disagrees with the PBX: " + PresenceDiff.changedFields(stored, p));
        }
        EventSchema.assertValid(Json.MAPPER.writeValueAsString(deliveries.get(deliveries.size() - 1)));
        System.out.printf("crash test: %d kills, %d events, %d deliveries (seed %d)%n", cycles, events, deliveries.size(), seed);
    }

    /** The router's embedded store (read from outside while it runs, as an operator's sqlite3 would). */
    private Path store() {
        return work.resolve("data/presence.db");
    }

    /** Null when converged (state stored, nothing pending for the webhook, state equal to the PBX), else why not. */
    private String whyNotConverged() throws IOException {
        if (!router.isAlive()) {
            return "the router process exited";
        }
        if (!StoreProbe.knows(store(), SOURCE)) {
            return "no state stored yet";
        }
        StoreProbe probe = StoreProbe.open(store());
        List<String> pending = probe.pending("webhook");
        if (!pending.isEmpty()) {
            return pending.size() + " event(s) not delivered to the webhook yet";
        }
        SourceState state = probe.store().load(SOURCE).orElseThrow();
        List<ExtensionPresence> truth = new ThreeCxCallControlTranslator(SOURCE, ThreeCxProfileMapping.defaults(), false)
                .translate(fetch(simulator.extensionsUrl()), Instant.now());
        for (ExtensionPresence p : truth) {
            var known = state.extensions().get(p.extension());
            if (known == null || known.last() == null) {
                return "extension " + p.extension() + " missing from the state";
            }
            if (!PresenceDiff.changedFields(known.last(), p).isEmpty()) {
                return "extension " + p.extension() + " differs in " + PresenceDiff.changedFields(known.last(), p);
            }
        }
        return null;
    }

    private void mutate(Random r) {
        String ext = Integer.toString(300 + r.nextInt(EXTENSIONS));
        switch (r.nextInt(4)) {
            case 0 -> pbx.update(ext, e -> e.calls().isEmpty()
                    ? e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930" + r.nextInt(10000)))
                    : e.withNoCalls());
            case 1 -> pbx.update(ext, e -> e.withProfile(List.of(SimulatedExtension.AVAILABLE, SimulatedExtension.AWAY,
                    SimulatedExtension.OUT_OF_OFFICE).get(r.nextInt(3))));
            case 2 -> pbx.update(ext, e -> e.withChatStatus(r.nextInt(5)));
            default -> pbx.update(ext, e -> e.withRegistered(!e.registered()));
        }
    }

    private void startReceiver(Random random) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            int status;
            synchronized (random) {
                status = random.nextInt(10) == 0 ? 503 : 200;
            }
            if (status == 200) {
                deliveries.add(Json.MAPPER.readTree(body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    private void prepareWorkDir() throws IOException {
        PackagedRouter.prepareFolder(work, """
                # The crash test's one source: a simulated 3CX Call Control bridge polled every 100 ms.
                - route:
                    id: source-crash-pbx
                    from:
                      uri: kamelet:3cx-callcontrol-presence-source
                      parameters:
                        sourceId: %s
                        url: "%s"
                        period: 100
                        initialDelay: 0
                      steps:
                        - to: direct:presence-poll
                """.formatted(SOURCE, simulator.extensionsUrl()));
    }

    private Process start(Path log) throws IOException {
        return PackagedRouter.start(work, log, List.of("-Xmx256m",
                "-Dpresence.demo.enabled=false",
                "-Dcamel.management.enabled=false",
                "-Dpresence.api.port=" + RouterTestSupport.freePort(),
                "-Dpresence.webhook.url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "-Dpresence.webhook.secret=" + WebhookSigner.generateSecret(),
                "-Dpresence.webhook.initial-delay-millis=50",
                "-Dpresence.webhook.max-delay-millis=500",
                "-Dpresence.webhook.max-attempts=1000",
                "-Dpresence.outbox.poll-millis=50"));
    }

    private static int count(Path log, String text) throws IOException {
        return PackagedRouter.count(log, text);
    }

    private static byte[] fetch(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
