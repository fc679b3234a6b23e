package pbx.presence.bench;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.PackagedRouter;
import pbx.presence.RouterTestSupport;
import pbx.presence.StoreProbe;
import pbx.presence.model.Json;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The packaged router as an OS process, polling one VoipNow source, seen from outside: its
 * Prometheus metrics, its live heap after a full GC ({@code jcmd}), its RSS and bytes written
 * ({@code /proc/<pid>}), its event store (read-only) and its log.
 */
final class RouterUnderTest implements AutoCloseable {

    static final String SOURCE = "bench-voipnow";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

    private final Path dir;
    private final Path log;
    private final int managementPort;
    private final int apiPort;
    private final Process process;
    private long logOffset;
    private long infoLines;
    private long eventLines;

    private RouterUnderTest(Path dir, int managementPort, int apiPort, Process process) {
        this.dir = dir;
        this.log = dir.resolve("router.log");
        this.managementPort = managementPort;
        this.apiPort = apiPort;
        this.process = process;
    }

    /**
     * One route (in a sources file) polling a simulated VoipNow account of {@code extensions} at
     * {@code baseUrl} in pages of 5,000, plain paging to the end, every {@code periodMillis}; shared by
     * the benchmarks that run the packaged router.
     */
    static String voipNowSource(String sourceId, String baseUrl, int extensions, long periodMillis, long timeoutMillis) {
        return """
                # A simulated VoipNow account of %2$d extensions, pages of 5,000 (in a cluster: polled by whichever router leads it).
                - route:
                    id: source-%1$s
                    from:
                      uri: kamelet:voipnow-presence-source
                      parameters:
                        sourceId: %1$s
                        baseUrl: "%3$s"
                        clientId: bench
                        clientSecret: bench-secret
                        period: %4$d
                        initialDelay: 0
                        pageSize: 5000
                        maxStartIndex: %5$d
                        partitionByPrefix: false
                        timeoutMillis: %6$d
                      steps:
                        - to: direct:presence-poll
                """.formatted(sourceId, extensions, baseUrl, periodMillis, Math.max(5000, extensions), timeoutMillis);
    }

    /**
     * Writes a deployment folder under {@code parent} (the shipped properties and routes, a VoipNow
     * source polling {@code baseUrl} every {@code periodMillis} in pages of 5,000) and starts the jar;
     * {@code settings} are -D overrides beyond the ones every run needs (e.g. the webhook's URL and secret).
     */
    static RouterUnderTest start(Path parent, String name, String baseUrl, int extensions, long periodMillis, String heap,
                                 Map<String, String> settings) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        PackagedRouter.prepareFolder(dir, voipNowSource(SOURCE, baseUrl, extensions, periodMillis, 120_000));
        int port = RouterTestSupport.freePort();
        int apiPort = RouterTestSupport.freePort();
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap,
                "-Dpresence.demo.enabled=false",
                "-Dcamel.management.port=" + port,
                "-Dpresence.api.port=" + apiPort));
        settings.forEach((k, v) -> options.add("-D" + k + "=" + v));
        RouterUnderTest router = new RouterUnderTest(dir, port, apiPort, PackagedRouter.start(dir, dir.resolve("router.log"), options));
        Runtime.getRuntime().addShutdownHook(new Thread(router.process::destroyForcibly));
        await("router start, see " + router.log).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> PackagedRouter.count(router.log, PackagedRouter.STARTED) > 0 || !router.process.isAlive());
        if (!router.process.isAlive()) {
            throw new IllegalStateException("the router exited at start; see " + router.log);
        }
        return router;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits until the source's first poll recorded its silent baseline. */
    void awaitBaseline(int extensions, Duration atMost) {
        String line = "Source " + SOURCE + ": baseline of " + extensions + " extensions recorded";
        await("baseline of " + extensions + " extensions, see " + log).atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> PackagedRouter.count(log, line) > 0 || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("the router exited; see " + log);
        }
    }

    // ---- metrics ---------------------------------------------------------------------------------

    /**
     * The source's {@code lastGoodPoll} from {@code GET /api/sources}: the router's clock when the poll
     * handed its snapshot to change detection, i.e. the end of fetch + translate. Null if unknown.
     */
    Instant lastGoodPoll() {
        String body = get("http://127.0.0.1:" + apiPort + "/api/sources");
        if (body == null) {
            return null;
        }
        try {
            for (JsonNode s : Json.MAPPER.readTree(body).path("sources")) {
                if (s.path("sourceId").asText().equals(SOURCE) && s.hasNonNull("lastGoodPoll")) {
                    return Instant.parse(s.path("lastGoodPoll").asText());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the API's shape changed: unknown
        }
        return null;
    }

    private static String get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            // a busy router may not answer in time: no sample this time
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Readiness as an operator's probe sees it: "UP", "DOWN(check, …)" naming the checks that are down, or "?" without an answer. */
    String readiness() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/observe/health/ready")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return "UP";
            }
            List<String> down = new ArrayList<>();
            pbx.presence.model.Json.MAPPER.readTree(r.body()).path("checks").forEach(c -> {
                if ("DOWN".equals(c.path("status").asText())) {
                    down.add(c.path("name").asText());
                }
            });
            return "DOWN(" + String.join(",", down) + ")";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Every sample of /observe/metrics: the line up to the value → the value. */
    Map<String, Double> metrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        String body = get("http://127.0.0.1:" + managementPort + "/observe/metrics");
        if (body != null) {
            for (String line : body.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                try {
                    out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException e) {
                    // a sample this parser does not read: skip it
                }
            }
        }
        return out;
    }

    /**
     * The router's own poll-duration histogram ({@code pbx_presence_source_poll_duration_seconds},
     * issue 13 item 5), good polls of the source only: count 0 while the router has none.
     */
    static PollTotals ownPolls(Map<String, Double> m) {
        return totals(m, "pbx_presence_source_poll_duration_seconds", "\"" + SOURCE + "\"", "outcome=\"ok\"");
    }

    /** Completed polls: the router's own histogram when it has one, else the pipeline's count. */
    static PollTotals polls(Map<String, Double> m) {
        PollTotals own = ownPolls(m);
        return own.count() > 0 ? own : pipeline(m);
    }

    /**
     * The pipeline step alone (detect + commit): Camel's route timer of route presence-pipeline
     * (direct:presence-poll), which this benchmark's one source alone sends to. (Kamelet routes have
     * no route timer, so the fetch and translate before it show in no Camel metric.)
     */
    static PollTotals pipeline(Map<String, Double> m) {
        return totals(m, "camel_route_policy_seconds", "routeId=\"presence-pipeline\"", "eventType=\"route\"");
    }

    private static PollTotals totals(Map<String, Double> m, String name, String... labels) {
        long count = 0;
        double sum = 0;
        for (var e : m.entrySet()) {
            String k = e.getKey();
            boolean match = true;
            for (String l : labels) {
                match &= k.contains(l);
            }
            if (!match) {
                continue;
            }
            if (k.startsWith(name + "_count")) {
                count += e.getValue().longValue();
            } else if (k.startsWith(name + "_sum")) {
                sum += e.getValue();
            }
        }
        return new PollTotals(count, sum);
    }

    record PollTotals(long count, double seconds) {
        PollTotals minus(PollTotals o) {
            return new PollTotals(count - o.count, seconds - o.seconds);
        }

        double meanMillis() {
            return count == 0 ? Double.NaN : seconds * 1000 / count;
        }
    }

    /** Metric samples whose name starts with {@code prefix} (e.g. the router's own pbx_presence_sink_ lag gauges). */
    static Map<String, Double> named(Map<String, Double> m, String prefix) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    // ---- process ---------------------------------------------------------------------------------

    /** Live heap in bytes: {@code jcmd GC.run} (a full collection), then the used heap from {@code GC.heap_info}. */
    long liveHeapAfterFullGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("cannot read the used heap from jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.exists(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    /** A field of /proc/&lt;pid&gt;/io ({@code write_bytes}: what reached the block layer; {@code wchar}: all write() calls), -1 if unreadable. */
    long io(String field) {
        return procField("io", field + ":", 1);
    }

    /** CPU time the router process used so far (user + system, /proc/&lt;pid&gt;/stat, 100 ticks a second), -1 if unreadable. */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size in bytes (/proc/&lt;pid&gt;/status VmRSS), -1 if unreadable. */
    long rss() {
        long kb = procField("status", "VmRSS:", 1);
        return kb < 0 ? -1 : kb * 1024;
    }

    private long procField(String file, String prefix, int factor) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), file))) {
                if (line.startsWith(prefix)) {
                    return Long.parseLong(line.substring(prefix.length()).strip().split("\\s+")[0]) * factor;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    // ---- store and log ---------------------------------------------------------------------------

    /** The event log's head position and each sink's stored position, read-only from outside; empty when unreadable. */
    Map<String, Long> logPositions() {
        Map<String, Long> out = new LinkedHashMap<>();
        Path db = dir.resolve("data/presence.db");
        if (!Files.exists(db)) {
            return out;
        }
        try (StoreProbe probe = StoreProbe.open(db)) {
            out.put("head", probe.store().headPosition());
            out.putAll(probe.positions());
        } catch (RuntimeException e) {
            // the store's layout changed or it is busy: no sample this time
        }
        return out;
    }

    /** INFO lines the router logged so far (read incrementally). */
    long infoLines() throws IOException {
        readLog();
        return infoLines;
    }

    /** Per-event INFO lines ("… is now …") so far. */
    long eventLines() throws IOException {
        readLog();
        return eventLines;
    }

    private void readLog() throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= logOffset) {
                return;
            }
            f.seek(logOffset);
            byte[] chunk = new byte[(int) Math.min(length - logOffset, 64L << 20)];
            f.readFully(chunk);
            int lastNewline = -1;
            for (int i = chunk.length - 1; i >= 0; i--) {
                if (chunk[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                return;
            }
            String text = new String(chunk, 0, lastNewline + 1, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.length() > 13 && line.startsWith("INFO ", 13)) {
                    infoLines++;
                    if (line.contains(" is now ")) {
                        eventLines++;
                    }
                }
            }
            logOffset += lastNewline + 1;
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
