package pbx.presence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import pbx.presence.model.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A test's data folder for an {@link EmbeddedRouter} running one real source route: the properties
 * that put state, outbox, events and dead letters in it, and what the file sink wrote there.
 */
public final class DataFolder {

    private DataFolder() {
    }

    /** Properties for an embedded router with its data in {@code dataDir}, no demo, no management port; plus name, value … */
    public static Map<String, String> routerProperties(Path dataDir, String... namesAndValues) {
        Map<String, String> p = new HashMap<>(Map.of(
                "presence.state.directory", dataDir.resolve("state").toString(),
                "presence.outbox.directory", dataDir.resolve("outbox").toString(),
                "presence.file.directory", dataDir.resolve("events").toString(),
                "presence.dead-letter.directory", dataDir.resolve("dead-letter").toString(),
                "presence.demo.enabled", "false",
                "camel.management.enabled", "false"));
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            p.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return Map.copyOf(p);
    }

    /** Every non-blank line the file sink wrote, file by file in name order. */
    public static List<String> eventLines(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("events");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                completeLines(f).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            }
        }
        return lines;
    }

    /**
     * The lines of a file the sink appends to, without a last line it is still writing (no newline
     * yet): a test that reads while the router appends must not see half an event.
     */
    public static List<String> completeLines(Path file) throws IOException {
        String text = Files.readString(file);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    /** A state file with its source-level DOWN flag and sequence normalised away (they change on failures). */
    public static byte[] stateWithoutDownMarker(Path state) throws IOException {
        JsonNode n = Json.MAPPER.readTree(state.toFile());
        ((ObjectNode) n).put("down", false).put("sequence", 0);
        return Json.MAPPER.writeValueAsBytes(n);
    }
}
