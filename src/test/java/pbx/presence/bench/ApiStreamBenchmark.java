package pbx.presence.bench;

import org.apache.camel.builder.RouteBuilder;
import pbx.presence.EmbeddedRouter;
import pbx.presence.RouterTestSupport;
import pbx.presence.change.PresenceLog;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxCallControlSimulator;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.time.Duration;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live event stream under load (docs/benchmarks.md): the real router polls a simulated 3CX with
 * N extensions every second while 1% of them change per second, once with no stream clients and
 * once with C clients on /api/events/stream; it reports the source's poll time (median, p95), the
 * live heap after the run, and whether every client got every event. Not a test: run it with
 * {@code mvn -q -Dbuild.dir=/tmp/bench test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=pbx.presence.bench.ApiStreamBenchmark -Dexec.args="10000 200 60"}.
 */
public final class ApiStreamBenchmark {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("phase")) {
            System.out.println(run(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3])));
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("clients")) {
            clients(args);
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        System.out.printf("extensions: %,d   churn: 1%%/s   stream clients: %d   measured: %d s   JVM: %s, %d cores%n",
                n, clients, seconds, Runtime.version(), Runtime.getRuntime().availableProcessors());
        // each run in a fresh router JVM (same heap limit), the clients in a JVM of their own
        List<String> rows = new ArrayList<>();
        for (int c : new int[] {0, clients, 0, clients}) {
            List<String> out = java("-Xmx1g", "phase", Integer.toString(n), Integer.toString(c), Integer.toString(seconds));
            rows.add(out.stream().filter(l -> l.startsWith("|")).findFirst().orElse("| " + c + " | failed: " + out));
            System.out.println(rows.get(rows.size() - 1));
        }
        System.out.println("| clients | polls | poll median | poll p95 | live heap after | events | every client got every event |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
    }

    /** Runs this class in a new JVM with the same class path; its standard output lines. */
    private static List<String> java(String heap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-cp", System.getProperty("java.class.path"), ApiStreamBenchmark.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        p.waitFor();
        return lines;
    }

    private static String run(int n, int clientCount, int seconds) throws Exception {
        SimulatedPbx pbx = new SimulatedPbx();
        for (int i = 0; i < n; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(100_000 + i), "User " + i));
        }
        ThreeCxCallControlSimulator sim = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0).start();
        Path data = Files.createTempDirectory("bench-api");
        int port = RouterTestSupport.freePort();
        List<Double> pollMillis = new CopyOnWriteArrayList<>();
        boolean[] measuring = {false};
        EmbeddedRouter router = new EmbeddedRouter(Map.of(
                "presence.state.directory", data.resolve("state").toString(),
                "presence.outbox.directory", data.resolve("outbox").toString(),
                "presence.file.directory", data.resolve("events").toString(),
                "presence.dead-letter.directory", data.resolve("dead-letter").toString(),
                "presence.demo.enabled", "false",
                "camel.management.enabled", "false",
                "presence.api.port", Integer.toString(port)), new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:3cx-callcontrol-presence-source?sourceId=bench&period=1000&maxBodyBytes=200000000&url="
                        + sim.extensionsUrl()).routeId("source-bench").to("direct:presence-poll")
                        // the whole poll: from the timer firing (fetch, translate, detect, commit) to here
                        .process(e -> {
                            if (measuring[0]) {
                                pollMillis.add((double) e.getClock().elapsed());
                            }
                        });
            }
        });
        router.start();
        PresenceLog log = router.context().getRegistry().findSingleByType(PresenceLog.class);
        if (log == null) {
            throw new IllegalStateException("no PresenceLog store in the registry: the API has nothing to stream");
        }
        ScheduledExecutorService churn = Executors.newSingleThreadScheduledExecutor();
        int[] next = {0};
        churn.scheduleAtFixedRate(() -> {
            for (int k = 0; k < n / 100; k++) {
                String ext = Integer.toString(100_000 + next[0]++ % n);
                pbx.update(ext, e -> e.calls().isEmpty()
                        ? e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123")) : e.withNoCalls());
            }
        }, 0, 1, TimeUnit.SECONDS);
        // warm up: baseline poll and a few change polls
        Thread.sleep(15_000); // a benchmark's fixed warm-up period, not a test waiting for a condition
        long startPosition = log.headPosition();
        Process clientJvm = null;
        java.io.BufferedReader clientOut = null;
        if (clientCount > 0) {
            clientJvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                    System.getProperty("java.class.path"), ApiStreamBenchmark.class.getName(), "clients", Integer.toString(port),
                    Integer.toString(clientCount), Long.toString(startPosition)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            // every client connected, then the client JVM's own start-up work done, before measuring
            clientOut = new java.io.BufferedReader(new java.io.InputStreamReader(clientJvm.getInputStream(), StandardCharsets.UTF_8));
            clientOut.readLine();
            Thread.sleep(10_000);
        }
        measuring[0] = true;
        Thread.sleep(seconds * 1000L); // the measured period
        measuring[0] = false;
        churn.shutdown();
        churn.awaitTermination(5, TimeUnit.SECONDS);
        // the last poll's events reach the log: wait until the head stops moving
        long[] seen = {-1};
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1500)).until(() -> {
            long h = log.headPosition();
            boolean still = h == seen[0];
            seen[0] = h;
            return still;
        });
        long head = log.headPosition();
        long events = countEvents(log, startPosition, head);
        long heap = liveHeap();
        String delivery = "–";
        if (clientJvm != null) {
            // tell the clients the final head; they answer once every one of them got there (or after 30 s)
            clientJvm.getOutputStream().write((head + "\n").getBytes(StandardCharsets.US_ASCII));
            clientJvm.getOutputStream().flush();
            delivery = clientOut.readLine();
            clientJvm.waitFor();
        }
        router.close();
        sim.close();
        double[] t = pollMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String row = String.format("| %d | %d | %.0f ms | %.0f ms | %,d MB | %,d | %s |", clientCount, t.length,
                t.length == 0 ? 0 : t[t.length / 2], t.length == 0 ? 0 : t[(int) Math.min(t.length - 1, Math.ceil(t.length * 0.95) - 1)],
                heap >> 20, events, delivery);
        System.out.println(row);
        return row;
    }

    /** The client JVM: C stream clients until the head named on standard input is reached by all. */
    private static void clients(String[] args) throws Exception {
        StreamClients sse = new StreamClients("127.0.0.1", Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
        sse.start();
        System.out.println("connected");
        System.out.flush();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        boolean all = sse.awaitAll(Long.parseLong(line.strip()), 30_000);
        System.out.println((all ? "yes" : "NO") + " (min " + sse.minEvents() + ", max " + sse.maxEvents()
                + " events per client; " + sse.dropped() + " dropped)");
        sse.close();
        System.exit(0);
    }

    private static long countEvents(PresenceLog log, long after, long head) {
        long count = 0;
        long position = after;
        while (position < head) {
            List<PresenceLog.LoggedEvent> page = log.eventsAfter(position, 1000, null, null);
            if (page.isEmpty()) {
                break;
            }
            count += page.size();
            position = page.get(page.size() - 1).position();
        }
        return count;
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * C stream clients on one selector thread with one shared read buffer. The bytes are scanned, not
     * decoded: only "id: N" lines (positions must only grow) and "event: dropped" lines are looked at.
     */
    private static final class StreamClients implements AutoCloseable {
        private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] DROPPED = "event: dropped".getBytes(StandardCharsets.US_ASCII);
        private final String host;
        private final int port;
        private final long after;
        private final long[] last;
        private final long[] count;
        private final byte[][] line;
        private final int[] lineLength;
        private final boolean[] skipping;
        private final boolean[] droppedFlag;
        private final Selector selector;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean outOfOrder;

        StreamClients(String host, int port, int n, long after) throws IOException {
            this.host = host;
            this.port = port;
            this.after = after;
            this.last = new long[n];
            this.count = new long[n];
            this.line = new byte[n][32];
            this.lineLength = new int[n];
            this.skipping = new boolean[n];
            this.droppedFlag = new boolean[n];
            this.selector = Selector.open();
            this.thread = new Thread(this::loop, "bench-sse-clients");
        }

        void start() throws IOException {
            for (int i = 0; i < last.length; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, port));
                ch.write(ByteBuffer.wrap(("GET /api/events/stream?after=" + after + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, i);
                last[i] = after;
            }
            thread.start();
        }

        private void loop() {
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            try {
                while (running) {
                    selector.select(200);
                    for (SelectionKey key : selector.selectedKeys()) {
                        int i = (Integer) key.attachment();
                        buf.clear();
                        int read = ((SocketChannel) key.channel()).read(buf);
                        if (read < 0) {
                            key.cancel();
                            continue;
                        }
                        scan(i, buf.array(), read);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                // closed at the end of the run
            }
        }

        private void scan(int i, byte[] bytes, int n) {
            byte[] l = line[i];
            for (int k = 0; k < n; k++) {
                byte b = bytes[k];
                if (b == '\n') {
                    if (!skipping[i]) {
                        lineDone(i, l, lineLength[i]);
                    }
                    skipping[i] = false;
                    lineLength[i] = 0;
                } else if (!skipping[i]) {
                    int len = lineLength[i];
                    if (len == l.length || !(viable(l, len, b, ID, true) || viable(l, len, b, DROPPED, false))) {
                        skipping[i] = true;
                    } else {
                        l[len] = b;
                        lineLength[i] = len + 1;
                    }
                }
            }
        }

        /** Whether the line so far plus {@code b} can still be {@code word} (followed by digits when {@code digits}). */
        private static boolean viable(byte[] l, int len, byte b, byte[] word, boolean digits) {
            if (len < word.length) {
                for (int k = 0; k < len; k++) {
                    if (l[k] != word[k]) {
                        return false;
                    }
                }
                return b == word[len];
            }
            for (int k = 0; k < word.length; k++) {
                if (l[k] != word[k]) {
                    return false;
                }
            }
            return digits && b >= '0' && b <= '9';
        }

        private void lineDone(int i, byte[] l, int len) {
            if (len > ID.length && l[0] == 'i') {
                long p = Long.parseLong(new String(l, ID.length, len - ID.length, StandardCharsets.US_ASCII));
                if (p <= last[i]) {
                    outOfOrder = true;
                }
                last[i] = p;
                count[i]++;
            } else if (len == DROPPED.length && l[0] == 'e') {
                droppedFlag[i] = true;
            }
        }

        boolean awaitAll(long head, long millis) {
            try {
                Awaitility.await().atMost(Duration.ofMillis(millis)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Arrays.stream(last).allMatch(l -> l >= head));
            } catch (ConditionTimeoutException e) {
                return false;
            }
            return !outOfOrder;
        }

        long minEvents() {
            return Arrays.stream(count).min().orElse(0);
        }

        long maxEvents() {
            return Arrays.stream(count).max().orElse(0);
        }

        long dropped() {
            int d = 0;
            for (boolean b : droppedFlag) {
                d += b ? 1 : 0;
            }
            return d;
        }

        @Override
        public void close() throws IOException {
            running = false;
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (SelectionKey k : selector.keys()) {
                k.channel().close();
            }
            selector.close();
        }
    }
}
