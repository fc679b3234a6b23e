package pbx.presence.bench;

import org.apache.camel.builder.RouteBuilder;
import pbx.presence.EmbeddedRouter;
import pbx.presence.RouterTestSupport;
import pbx.presence.change.PresenceLog;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.VoipNowSimulator;
import pbx.presence.api.EventStream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.time.Duration;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The live event stream under load (docs/benchmarks.md). Three kinds of process, each a JVM of its
 * own: the simulated PBX (a VoipNow simulator with N extensions, 1 % of them changing per second,
 * each change at a random moment), the router (real store, real YAML routes, polling that PBX every
 * second), and C stream clients on /api/events/stream. Runs alternate without and with clients,
 * each in a fresh router JVM, and report the source's poll time from the timer firing to the commit
 * (wall, and CPU of the polling thread), the router's CPU, its live heap and direct memory after the
 * run (after GC, clients still connected), and whether every client got every event in order.
 * With {@code pin}, {@code taskset} keeps the router alone on core 0 and puts the PBX and the
 * clients on core 1, so the clients' own CPU does not compete with the router's.
 * Not a test: {@code java -cp ... pbx.presence.bench.ApiStreamBenchmark 10000 200 60 3 pin}
 * (extensions, clients, measured polls (one a second when the poller keeps up), pairs of runs, pin or not).
 */
public final class ApiStreamBenchmark {

    private static final String CLIENT_ID = "bench";
    private static final String CLIENT_SECRET = "bench-secret";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("phase")) {
            run(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4].equals("pin"));
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("pbx")) {
            pbx(Integer.parseInt(args[1]));
            System.exit(0);
        }
        if (args.length > 0 && args[0].equals("clients")) {
            clients(args);
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        String pin = args.length > 4 && args[4].equals("pin") ? "pin" : "nopin";
        System.out.printf("extensions: %,d   churn: 1%%/s at random moments   stream clients: %d   measured: %d s   %s   JVM: %s, %d cores%n",
                n, clients, seconds, pin.equals("pin") ? "router on core 0, PBX and clients on core 1" : "not pinned",
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            for (int c : new int[] {0, clients}) {
                Process p = start(pin.equals("pin") ? "0" : null, "-Xmx1g", "phase", Integer.toString(n), Integer.toString(c),
                        Integer.toString(seconds), pin);
                List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                p.waitFor();
                rows.add(out.stream().filter(l -> l.startsWith("|")).findFirst().orElse("| " + c + " | failed: " + out));
                System.out.println(rows.get(rows.size() - 1));
            }
        }
        System.out.println("| clients | polls | poll wall median | poll wall p95 | poll CPU median | poll CPU p95 | router CPU "
                + "| live heap after | direct memory | ring after | log pages read by clients | events | every client got every event |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        rows.forEach(System.out::println);
    }

    /** This class in a new JVM with the same class path (pinned to {@code cores} with taskset when not null). */
    private static Process start(String cores, String heap, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cores != null) {
            cmd.addAll(List.of("taskset", "-c", cores));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-cp", System.getProperty("java.class.path"), ApiStreamBenchmark.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The PBX JVM: a VoipNow simulator whose extensions change (1 %/s, random moments) until "stop" on standard input. */
    private static void pbx(int n) throws Exception {
        SimulatedPbx pbx = new SimulatedPbx();
        for (int i = 0; i < n; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(100_000 + i), "User " + i));
        }
        VoipNowSimulator sim = new VoipNowSimulator(pbx, "127.0.0.1", 0, CLIENT_ID, CLIENT_SECRET);
        sim.setMaxStartIndex(n);
        sim.start();
        System.out.println(sim.baseUrl());
        System.out.flush();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            // each second, n/100 changes at uniformly random moments of that second, round robin over the extensions
            int next = 0;
            long second = System.nanoTime();
            while (running.get()) {
                long[] moments = ThreadLocalRandom.current().longs(n / 100, 0, 1_000_000_000L).sorted().toArray();
                for (long m : moments) {
                    LockSupport.parkNanos(second + m - System.nanoTime());
                    String ext = Integer.toString(100_000 + next++ % n);
                    pbx.update(ext, e -> e.calls().isEmpty()
                            ? e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123")) : e.withNoCalls());
                }
                second += 1_000_000_000L;
            }
        }, "churn");
        churn.start();
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII));
        in.readLine();
        running.set(false);
        churn.join();
        // still answering polls until the router is done
        in.readLine();
        sim.close();
    }

    private static void run(int n, int clientCount, int seconds, boolean pin) throws Exception {
        Process pbxJvm = start(pin ? "1" : null, "-Xmx512m", "pbx", Integer.toString(n));
        java.io.BufferedReader pbxOut = new java.io.BufferedReader(new java.io.InputStreamReader(pbxJvm.getInputStream(), StandardCharsets.UTF_8));
        String baseUrl = pbxOut.readLine();
        // whatever else it prints (logs) must not fill the pipe and stall it
        Thread drain = new Thread(() -> pbxOut.lines().forEach(l -> { }), "pbx-output");
        drain.setDaemon(true);
        drain.start();
        Path data = Files.createTempDirectory("bench-api");
        int port = RouterTestSupport.freePort();
        List<long[]> polls = new CopyOnWriteArrayList<>();
        AtomicInteger failedPolls = new AtomicInteger();
        boolean[] measuring = {false};
        java.util.concurrent.atomic.AtomicLong pollsDone = new java.util.concurrent.atomic.AtomicLong();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ThreadLocal<long[]> lastCpu = ThreadLocal.withInitial(() -> new long[] {-1});
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
                from("kamelet:voipnow-presence-source?sourceId=bench&pageSize=5000&maxStartIndex=" + n + "&partitionByPrefix=false&period=1000"
                        + "&clientId=" + CLIENT_ID + "&clientSecret=RAW(" + CLIENT_SECRET + ")&baseUrl=" + baseUrl)
                        .routeId("source-bench").to("direct:presence-poll")
                        // the whole poll: from the timer firing (fetch, translate, detect, commit) to here; its thread's CPU
                        // since the end of its previous poll (the timer thread does nothing else in between)
                        .process(e -> {
                            long cpu = threads.getCurrentThreadCpuTime();
                            long previous = lastCpu.get()[0];
                            lastCpu.get()[0] = cpu;
                            pollsDone.incrementAndGet();
                            if (!measuring[0] || previous < 0) {
                                return;
                            }
                            if (Boolean.TRUE.equals(e.getMessage().getHeader("PbxPollFailed", Boolean.class))) {
                                failedPolls.incrementAndGet();
                            } else {
                                polls.add(new long[] {e.getClock().elapsed(), (cpu - previous) / 1_000_000});
                            }
                        });
            }
        });
        router.start();
        PresenceLog log = router.context().getRegistry().findSingleByType(PresenceLog.class);
        if (log == null) {
            throw new IllegalStateException("no PresenceLog store in the registry: the API has nothing to stream");
        }
        // warm up: the first (full) poll and 14 change polls
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> pollsDone.get() >= 15);
        long startPosition = log.headPosition();
        Process clientJvm = null;
        java.io.BufferedReader clientOut = null;
        if (clientCount > 0) {
            clientJvm = start(pin ? "1" : null, "-Xmx256m", "clients", Integer.toString(port), Integer.toString(clientCount),
                    Long.toString(startPosition));
            clientOut = new java.io.BufferedReader(new java.io.InputStreamReader(clientJvm.getInputStream(), StandardCharsets.UTF_8));
            clientOut.readLine();
        }
        // every client connected (or none), then the same 10 settling polls in both kinds of run
        long settledAt = pollsDone.get() + 10;
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> pollsDone.get() >= settledAt);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        EventStream stream = router.context().getRegistry().lookupByNameAndType("presenceEventStream", EventStream.class);
        long logPagesBefore = stream.logPagesRead();
        long cpuBefore = os.getProcessCpuTime();
        long measuredFrom = System.nanoTime();
        long measuredUntil = pollsDone.get() + seconds;
        measuring[0] = true;
        // the measured window: as many polls as seconds (one per second at the 1 s period when the poller keeps up), so runs
        // with and without clients do the same work; a starved poller shows as a longer window and a lower poll count per s
        Awaitility.await().atMost(Duration.ofSeconds(seconds * 20L)).pollInterval(Duration.ofMillis(100))
                .until(() -> pollsDone.get() >= measuredUntil);
        measuring[0] = false;
        double measuredSeconds = (System.nanoTime() - measuredFrom) / 1e9;
        double routerCpu = (os.getProcessCpuTime() - cpuBefore) / (measuredSeconds * 1e9);
        System.out.printf("measured window: %d polls in %.1f s%n", seconds, measuredSeconds);
        long logPages = stream.logPagesRead() - logPagesBefore;
        pbxJvm.getOutputStream().write("stop\n".getBytes(StandardCharsets.US_ASCII));
        pbxJvm.getOutputStream().flush();
        // the last changes reach the log: wait until the head stops moving
        long[] seen = {-1};
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2500)).until(() -> {
            long h = log.headPosition();
            boolean still = h == seen[0];
            seen[0] = h;
            return still;
        });
        long head = log.headPosition();
        long events = countEvents(log, startPosition, head);
        String delivery = "–";
        if (clientJvm != null) {
            // tell the clients the final head; they answer once every one of them got there (or after 30 s)
            clientJvm.getOutputStream().write((head + "\n").getBytes(StandardCharsets.US_ASCII));
            clientJvm.getOutputStream().flush();
            delivery = clientOut.readLine();
        }
        // with every client still connected and caught up, and the poller stopped (no poll's pages in flight): the live heap
        for (org.apache.camel.Route r : router.context().getRoutes()) {
            if (r.getEndpoint().getEndpointUri().startsWith("timer:")) {
                router.context().getRouteController().stopRoute(r.getRouteId());
            }
        }
        long heap = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            heap = Math.min(heap, liveHeap());
        }
        long direct = directMemory();
        long ring = stream.bufferedBytes();
        if (clientJvm != null) {
            clientJvm.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
            clientJvm.getOutputStream().flush();
            clientJvm.waitFor();
        }
        router.close();
        pbxJvm.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
        pbxJvm.getOutputStream().flush();
        pbxJvm.waitFor(10, TimeUnit.SECONDS);
        long[] wall = polls.stream().mapToLong(p -> p[0]).sorted().toArray();
        long[] cpu = polls.stream().mapToLong(p -> p[1]).sorted().toArray();
        String row = String.format("| %d | %d%s | %d ms | %d ms | %d ms | %d ms | %.0f %% | %.1f MB | %.1f MB | %.1f MB | %,d | %,d | %s |",
                clientCount, wall.length, failedPolls.get() > 0 ? " (" + failedPolls.get() + " failed)" : "",
                median(wall), p95(wall), median(cpu), p95(cpu), routerCpu * 100, heap / 1e6, direct / 1e6, ring / 1e6, logPages, events,
                delivery);
        System.out.println(row);
    }

    private static long median(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private static long p95(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
    }

    /** The client JVM: C stream clients until the head named on standard input is reached by all, then connected until "bye". */
    private static void clients(String[] args) throws Exception {
        StreamClients sse = new StreamClients("127.0.0.1", Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
        sse.start();
        System.out.println("connected");
        System.out.flush();
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line = in.readLine();
        boolean all = sse.awaitAll(Long.parseLong(line.strip()), 30_000);
        System.out.println((all ? "yes" : "NO") + " (" + (sse.minEvents() == sse.maxEvents() ? sse.minEvents() + " each"
                : "min " + sse.minEvents() + ", max " + sse.maxEvents()) + ", in order; " + sse.dropped() + " dropped)");
        System.out.flush();
        in.readLine();
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

    /** Direct (off-heap) buffers: the JDK's, and Netty's own when it allocates without the JDK's accounting. */
    private static long directMemory() {
        long jdk = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream().filter(b -> b.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return jdk + Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
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
