package pbx.presence;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 8 items 2, 3 and 5 on the event store, through the packaged router as an OS process: a
 * damaged stored state or database file is never taken for "no state"; a full disk fails polls as
 * polls (WARN, pbx.source.down, readiness DOWN), leaves no debris and heals by itself; a second
 * router on the same data folder refuses to start with one line, and a killed router's lock dies
 * with it.
 */
class StoreFaultsIT {

    private static final String SOURCE = "fault-pbx";

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    private final SimulatedPbx pbx = new SimulatedPbx();
    private final List<Process> processes = new ArrayList<>();
    private ThreeCxCallControlSimulator simulator;
    private int managementPort;
    private boolean mounted;

    @BeforeEach
    void prepare() throws IOException {
        assumeTrue(jar() != null && Files.exists(Path.of(jar())), "runs after `mvn package` (failsafe sets router.jar)");
        DemoScenario.initialExtensions().forEach(pbx::put);
        simulator = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0);
        simulator.start();
        managementPort = RouterTestSupport.freePort();
        PackagedRouter.prepareFolder(work, """
                # The test's one source: a simulated 3CX Call Control bridge polled every 200 ms.
                - route:
                    id: source-fault-pbx
                    from:
                      uri: kamelet:3cx-callcontrol-presence-source
                      parameters:
                        sourceId: %s
                        url: "%s"
                        period: 200
                        initialDelay: 0
                      steps:
                        - to: direct:presence-poll
                """.formatted(SOURCE, simulator.extensionsUrl()));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (simulator != null) {
            simulator.stop();
        }
        if (mounted) {
            new ProcessBuilder("umount", "-l", work.resolve("data").toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondRouterOnTheSameFolderRefusesToStartAndAKilledRoutersLockDiesWithIt() throws Exception {
        Process first = start("first.log", false);
        awaitStarted("first.log", first);
        Process second = start("second.log", false);
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second router exits");
        assertEquals(2, second.exitValue());
        List<String> reasons = lines("second.log").stream().filter(l -> l.startsWith("PBX Presence Router cannot start")).toList();
        assertEquals(1, reasons.size(), "one line says why: " + lines("second.log"));
        assertTrue(reasons.get(0).contains("another router uses the data folder") && reasons.get(0).contains("router.lock"), reasons.get(0));
        assertTrue(first.isAlive(), "the first router runs on");

        first.destroyForcibly(); // SIGKILL: no shutdown hook releases anything
        first.waitFor();
        Process third = start("third.log", false);
        awaitStarted("third.log", third);
    }

    @Test
    void aStoredStateThatDoesNotParseFailsThatSourcesPollsLoudlyAndIsNeverABaseline() throws Exception {
        Process router = start("router.log", true);
        await().atMost(Duration.ofSeconds(60)).until(() -> StoreProbe.knows(store(), SOURCE));
        stopGracefully(router);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store()); Statement st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("UPDATE extension_state SET presence = X'7B7D' WHERE source_id = '" + SOURCE
                    + "' AND extension = '202'"), "the row is damaged: its state is now {}");
        }
        pbx.update("201", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));

        Process again = start("again.log", true);
        await().atMost(Duration.ofSeconds(60)).until(() -> sourceDown() && events().stream()
                .anyMatch(l -> l.contains("\"type\":\"pbx.source.down\"")));
        List<String> warnings = lines("again.log").stream().filter(l -> l.contains("Poll of source " + SOURCE + " failed")).toList();
        assertTrue(warnings.get(0).contains("extension 202 of source " + SOURCE) && warnings.get(0).contains("cannot be trusted")
                && warnings.get(0).contains("UPDATE extension_state SET presence = NULL"), "names what and what to do: " + warnings.get(0));
        assertNoStackTraces("again.log");
        assertTrue(lines("again.log").stream().noneMatch(l -> l.contains("baseline")), "never a fresh baseline");
        assertTrue(events().stream().noneMatch(l -> l.contains(SOURCE + ":201:1") || l.contains(SOURCE + ":202:1")),
                "no event from a source whose state cannot be trusted: ids are never reused with other content");
        assertTrue(again.isAlive());
    }

    @Test
    void aDatabaseFileThatIsNotADatabaseFailsThePollsAndIsNeverTakenForNoState() throws Exception {
        Process router = start("router.log", true);
        await().atMost(Duration.ofSeconds(60)).until(() -> StoreProbe.knows(store(), SOURCE));
        stopGracefully(router);
        Files.deleteIfExists(Path.of(store() + "-wal"));
        Files.deleteIfExists(Path.of(store() + "-shm"));
        Files.writeString(store(), "this is not a database ".repeat(100));

        Process again = start("again.log", true);
        // readiness can be DOWN for a moment while the router starts: wait for the failed polls themselves
        await().atMost(Duration.ofSeconds(60)).until(() -> sourceDown() && failedPolls("again.log").size() >= 3);
        List<String> warnings = failedPolls("again.log");
        assertTrue(warnings.get(0).contains(store().getFileName().toString()) && warnings.get(0).contains("not a database")
                && warnings.get(0).contains("restore it from a backup"), warnings.get(0));
        assertNoStackTraces("again.log");
        assertTrue(lines("again.log").stream().noneMatch(l -> l.contains("baseline")), "never a fresh baseline");
        assertTrue(again.isAlive());
    }

    @Test
    void aFullDiskFailsPollsAsPollsLeavesNoDebrisAndTheRouterRecoversByItself() throws Exception {
        Path data = Files.createDirectories(work.resolve("data"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", data.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mount.waitFor() != 0) {
            fail("this test puts data/ on a 4 MB tmpfs to fill it, and `mount` refused (" + why.strip()
                    + "); it needs root with CAP_SYS_ADMIN, as the CI container has");
        }
        mounted = true;
        Process router = start("router.log", true);
        await().atMost(Duration.ofSeconds(60)).until(() -> StoreProbe.knows(store(), SOURCE));
        List<String> before = listing(data);

        Path filler = data.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[64 * 1024];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // the disk is full
        }
        pbx.update("201", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        await().atMost(Duration.ofSeconds(60)).until(() -> sourceDown() && failedPolls("router.log").size() >= 3);
        List<String> warnings = failedPolls("router.log");
        assertTrue(warnings.size() >= 3 && warnings.get(0).contains("could not commit the poll of source " + SOURCE)
                && warnings.get(0).toLowerCase().contains("full"), "a failed poll, saying why: " + warnings);
        assertNoStackTraces("router.log");

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(60)).until(() -> events().stream().anyMatch(l -> l.contains(SOURCE + ":201:1")));
        await().atMost(Duration.ofSeconds(60)).until(() -> !sourceDown());
        assertEquals(1, events().stream().filter(l -> l.contains("\"id\":\"" + SOURCE + ":201:1\"")).count(), "the change, once");
        List<String> after = listing(data);
        after.removeIf(n -> n.startsWith("events") || n.startsWith("dead-letter"));
        before.removeIf(n -> n.startsWith("events") || n.startsWith("dead-letter"));
        assertEquals(before, after, "no debris: the same files as before the disk filled up");
        assertTrue(router.isAlive());
    }

    // ---------------------------------------------------------------- helpers

    private static String jar() {
        return PackagedRouter.jar();
    }

    private Path store() {
        return work.resolve("data/presence.db");
    }

    private Process start(String logName, boolean management) throws IOException {
        Process p = PackagedRouter.start(work, work.resolve(logName), List.of("-Xmx256m",
                "-Dpresence.demo.enabled=false",
                "-Dpresence.source.down-after-failures=3",
                "-Dpresence.api.port=" + RouterTestSupport.freePort(),
                "-Dcamel.management.enabled=" + management,
                "-Dcamel.management.port=" + managementPort));
        processes.add(p);
        return p;
    }

    private void awaitStarted(String logName, Process p) {
        await().atMost(Duration.ofSeconds(60)).until(() -> lines(logName).stream().anyMatch(l -> l.contains("(pbx-presence-router) started"))
                || !p.isAlive());
        assertTrue(p.isAlive(), "the router started: " + lines(logName));
    }

    private static void stopGracefully(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: Camel stops and releases the store
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the router stops");
    }

    private List<String> lines(String logName) {
        try {
            Path f = work.resolve(logName);
            return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertNoStackTraces(String logName) {
        List<String> traces = lines(logName).stream().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by")).toList();
        assertTrue(traces.isEmpty(), "a failed poll logs one line, no stack trace: " + traces.stream().limit(5).toList());
    }

    /** True while readiness is DOWN naming this test's source (its route id, also in the answer while it starts, left out). */
    private List<String> failedPolls(String log) {
        return lines(log).stream().filter(l -> l.contains("Poll of source " + SOURCE + " failed")).toList();
    }

    private boolean sourceDown() {
        return readiness().replace("source-" + SOURCE, "").contains(SOURCE);
    }

    /** The readiness check's answer when DOWN (names what is down), else "". */
    private String readiness() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 503 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** Every event line the file sink wrote. */
    private List<String> events() throws IOException {
        Path dir = work.resolve("data/events");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                out.addAll(Files.readAllLines(f));
            }
        }
        return out;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
