package pbx.presence;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import pbx.presence.demo.DemoPbx;
import pbx.presence.model.Json;
import pbx.presence.store.JdbcEventStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Runs the real router (Camel Main, top-level application.properties, routes/*.camel.yaml,
 * kamelets) with its data folders in a temporary directory and the embedded 3CX simulators on
 * free ports, ticking only when a test changes their state ({@link #demo()}).
 */
public abstract class RouterTestSupport extends CamelMainTestSupport {

    private Path dataDir;

    /** This test's data folder (store, events, dead letter, replay), created on first use. */
    protected Path dataDir() {
        if (dataDir == null) {
            try {
                dataDir = Files.createTempDirectory("pbx-presence-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataDir;
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("presence.state.directory", dataDir().resolve("state").toString());
        p.put("presence.outbox.directory", dataDir().resolve("outbox").toString());
        p.put("presence.file.directory", dataDir().resolve("events").toString());
        p.put("presence.dead-letter.directory", dataDir().resolve("dead-letter").toString());
        p.put("presence.replay.directory", dataDir().resolve("replay").toString());
        p.put("presence.demo.enabled", "true");
        p.put("presence.demo.3cx-http.port", "0");
        p.put("presence.demo.3cx-callcontrol.port", "0");
        for (String vendor : DemoPbx.VENDOR_SIMULATORS.keySet()) {
            p.put(DemoPbx.portProperty(vendor), "0");
        }
        p.put("presence.demo.tick-millis", "0");
        p.put("presence.demo.poll-millis", "200");
        p.put("camel.management.enabled", "false");
        p.put("presence.api.port", Integer.toString(freePort()));
        configure(p);
        return p;
    }

    /** A free TCP port on loopback, so the API server of parallel or consecutive tests never collides. */
    public static int freePort() {
        // below the kernel's ephemeral range: a port the OS hands out for a bind to port 0 (the demo's
        // simulators, a receiver) or for an outgoing connection can never be this one between the check
        // here and the router binding it (a management port once went to a simulator that way)
        int below = Math.max(ephemeralRangeStart(), 4096);
        int first = Math.min(10_000, below / 2);
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = first + java.util.concurrent.ThreadLocalRandom.current().nextInt(below - first);
            try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                // the wildcard address: the bind fails when the port is taken on any interface, loopback included
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(port), 1);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port found below " + below + " after 200 tries"));
    }

    /** The first port of the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range), else 32768. */
    private static int ephemeralRangeStart() {
        try {
            // read as a stream: /proc files report a size of 0, and Files.readString trusts the size
            try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
                return Integer.parseInt(in.readLine().trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    /**
     * Subclasses add or change properties here. Camel's test support calls this from its
     * constructor, before the subclass's own fields are initialised: use static state set up in
     * {@code @BeforeAll} (e.g. a receiver's port) or lazy getters.
     */
    protected void configure(Properties p) {
    }

    /** The embedded simulators; change their state with {@code demo().pbx().update(...)}. */
    protected DemoPbx demo() {
        return context.getRegistry().lookupByNameAndType("demoPbx", DemoPbx.class);
    }

    /** The embedded store's file in this test's data folder (beside the state folder: presence.db). */
    protected Path storeFile() {
        return dataDir().resolve("presence.db");
    }

    /** True once the store knows the source: its first good poll (the silent baseline) was committed. */
    protected boolean baselineRecorded(String sourceId) {
        JdbcEventStore store = storeView();
        return store != null && store.sources().stream().anyMatch(st -> st.sourceId().equals(sourceId) && st.extensions() > 0);
    }

    /**
     * The running router's store (embedded or PostgreSQL); once it stopped, the embedded file read
     * from outside; null when there is neither yet.
     */
    protected JdbcEventStore storeView() {
        if (context != null && context.getStatus().isStarted()) {
            JdbcEventStore live = context.getRegistry().lookupByNameAndType("presenceLog", JdbcEventStore.class);
            if (live != null) {
                return live;
            }
        }
        return Files.exists(storeFile()) ? probe().store() : null;
    }

    /** The store seen from outside (works while the router runs and after it stopped). */
    protected StoreProbe probe() {
        return StoreProbe.open(storeFile());
    }

    /** JSON of the events a sink has not finished yet (after its position in the log), in order. */
    protected List<String> pending(String sink) {
        return StoreProbe.pending(storeView(), sink);
    }

    /** Every event the file sink has written so far, in order. */
    protected List<JsonNode> fileEvents() {
        Path dir = dataDir().resolve("events");
        List<JsonNode> events = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return events;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : DataFolder.completeLines(f)) {
                    if (!line.isBlank()) {
                        events.add(Json.MAPPER.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /** The raw JSON lines the file sink has written so far. */
    protected List<String> fileEventLines() {
        Path dir = dataDir().resolve("events");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> lines = new ArrayList<>();
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                DataFolder.completeLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events for one source and extension, in the order the file sink wrote them. */
    protected List<JsonNode> fileEvents(String sourceId, String extension) {
        return fileEvents().stream()
                .filter(e -> e.path("source").asText().endsWith("/" + sourceId) && extension.equals(e.path("subject").asText()))
                .toList();
    }
}
