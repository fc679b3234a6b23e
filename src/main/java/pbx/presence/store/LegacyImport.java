package pbx.presence.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.ExtensionState;
import pbx.presence.change.SourceIds;
import pbx.presence.change.SourceState;
import pbx.presence.change.StoreException;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The upgrade from the file-based release (issue 9): at the first start on a folder that still
 * holds {@code data/state/<source>.json} and {@code data/outbox/<sink>/*.jsonl}, imports the state and
 * sequences and appends the undelivered events to the log, each sink positioned just before its
 * first undelivered one, all in one transaction; then renames the old folders (never deletes them)
 * and says so in one INFO line. Sequences continue, nothing is re-announced, pending events are
 * delivered once. A file that does not parse refuses the import loudly: damaged state is never
 * taken for "no state". Staged {@code .tmp} files were never committed by the old router, so they
 * are left out (the next poll detects the same changes).
 */
public final class LegacyImport {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.store");
    static final String SUFFIX = ".imported";
    private static final String STAGED = ".tmp";

    private final Path stateDir;
    private final Path outboxDir;

    public LegacyImport(Path stateDir, Path outboxDir) {
        this.stateDir = stateDir;
        this.outboxDir = outboxDir;
    }

    public void run(JdbcEventStore store) {
        List<Path> stateFiles = list(stateDir, ".json");
        Map<String, List<Path>> outboxes = new TreeMap<>();
        if (Files.isDirectory(outboxDir)) {
            try (Stream<Path> sinks = Files.list(outboxDir)) {
                for (Path sink : sinks.filter(Files::isDirectory).toList()) {
                    List<Path> both = new ArrayList<>(list(sink, ".jsonl"));
                    both.addAll(list(sink, ".jsonl" + STAGED));
                    both.sort(java.util.Comparator.comparing(LegacyImport::name));
                    outboxes.put(sink.getFileName().toString(), both);
                }
            } catch (IOException e) {
                throw refuse("cannot list " + outboxDir + ": " + e.getMessage(), e);
            }
        }
        if (stateFiles.isEmpty() && outboxes.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        List<SourceState> states = new ArrayList<>();
        for (Path f : stateFiles) {
            states.add(readState(f));
        }
        // every pending event once, in the old outbox order (file names sort in creation order)
        Map<String, List<String>> files = new TreeMap<>();
        for (Map.Entry<String, List<Path>> sink : outboxes.entrySet()) {
            List<Path> published = new ArrayList<>();
            for (Path f : sink.getValue()) {
                // a staged file was committed when the saved state already carries its first event (the old recover())
                if (f.getFileName().toString().endsWith(STAGED) && !committed(readLines(f), states)) {
                    continue;
                }
                published.add(f);
                files.computeIfAbsent(name(f), n -> readLines(f));
            }
            sink.setValue(published);
        }
        LinkedHashMap<String, PresenceEvent> pending = new LinkedHashMap<>();
        Map<String, String> firstEventOfFile = new TreeMap<>();
        for (Map.Entry<String, List<String>> f : files.entrySet()) {
            for (String line : f.getValue()) {
                PresenceEvent e = parseEvent(line, f.getKey());
                pending.putIfAbsent(e.id(), e);
                firstEventOfFile.putIfAbsent(f.getKey(), e.id());
            }
        }
        List<String> order = new ArrayList<>(pending.keySet());
        try (Connection c = store.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                if (JdbcEventStore.queryLong(c, "SELECT COUNT(*) FROM source_state", 0) > 0
                        || JdbcEventStore.queryLong(c, "SELECT COUNT(*) FROM event_log", 0) > 0) {
                    c.rollback();
                    LOG.warn("Upgrade: the store {} already holds data, so {} and {} are not imported (again); move them away",
                            store.where(), stateDir, outboxDir);
                    return;
                }
                for (SourceState s : states) {
                    JdbcEventStore.upsertExtensions(c, s.sourceId(), s.extensions());
                    try (var ps = c.prepareStatement("INSERT INTO source_state (source_id, vendor, sequence, down, failures) "
                            + "VALUES (?, ?, ?, ?, 0)")) {
                        ps.setString(1, s.sourceId());
                        ps.setString(2, s.extensions().values().stream().filter(x -> x.last() != null)
                                .map(x -> x.last().vendor()).findFirst().orElse(null));
                        ps.setLong(3, s.sequence());
                        ps.setBoolean(4, s.down());
                        ps.executeUpdate();
                    }
                }
                long head = order.isEmpty() ? 0 : JdbcEventStore.allocate(c, order.size());
                long first = head - order.size() + 1;
                List<PresenceEvent> events = new ArrayList<>(pending.values());
                List<byte[]> json = new ArrayList<>();
                for (PresenceEvent e : events) {
                    json.add(Deflated.of(JdbcEventStore.toJson(e)));
                }
                JdbcEventStore.appendEvents(c, first, events, json);
                for (Map.Entry<String, List<Path>> sink : outboxes.entrySet()) {
                    long position = head;
                    if (!sink.getValue().isEmpty()) {
                        String firstId = firstEventOfFile.get(name(sink.getValue().get(0)));
                        position = firstId == null ? head : first + order.indexOf(firstId) - 1;
                    }
                    JdbcEventStore.savePosition(c, sink.getKey(), position);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw refuse("the import into " + store.where() + " failed: " + JdbcEventStore.rootMessage(e), e);
        }
        rename(stateDir);
        rename(outboxDir);
        LOG.info("Upgrade: imported the file-based state of {} source(s) ({} extensions) and {} undelivered event(s) for sink(s) {} "
                        + "into {}; the old folders are kept as {}{} and {}{}", states.size(),
                states.stream().mapToInt(s -> s.extensions().size()).sum(), order.size(), outboxes.keySet(), store.where(),
                stateDir, SUFFIX, outboxDir, SUFFIX);
    }

    /** An outbox file's name without the staging suffix: the names sort in creation order. */
    private static String name(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(STAGED) ? n.substring(0, n.length() - STAGED.length()) : n;
    }

    private static boolean committed(List<String> lines, List<SourceState> states) {
        if (lines.isEmpty()) {
            return false;
        }
        PresenceEvent first;
        try {
            first = Json.MAPPER.readValue(lines.get(0), PresenceEvent.class);
        } catch (IOException e) {
            return false; // a torn staged write was never committed: the fsync came before the rename
        }
        for (SourceState s : states) {
            if (s.sourceId().equals(first.sourceId())) {
                if (first.subject() == null) {
                    return s.sequence() >= first.sequence();
                }
                ExtensionState ext = s.extensions().get(first.subject());
                return ext != null && ext.sequence() >= first.sequence();
            }
        }
        return false;
    }

    private static SourceState readState(Path f) {
        try {
            SourceState s = Json.MAPPER.readValue(f.toFile(), SourceState.class);
            String expected = f.getFileName().toString().replaceFirst("\\.json$", "");
            if (s == null || s.sourceId() == null || !s.sourceId().equals(expected)) {
                throw new IOException("it is not the state of source " + expected);
            }
            SourceIds.requireValid(s.sourceId());
            for (Map.Entry<String, ExtensionState> e : s.extensions().entrySet()) {
                if (e.getValue() == null || e.getValue().last() != null && !e.getKey().equals(e.getValue().last().extension())) {
                    throw new IOException("extension " + e.getKey() + " does not hold its own state");
                }
            }
            if (s.extensions().isEmpty() && s.sequence() == 0 && !s.down()) {
                throw new IOException("it holds no extensions and no sequence");
            }
            return s;
        } catch (IOException | RuntimeException e) {
            throw refuse("state file " + f + " cannot be imported (" + JdbcEventStore.rootMessage(e) + "); repair it or restore it "
                    + "from a backup, then start again (nothing was imported)", e);
        }
    }

    private static PresenceEvent parseEvent(String line, String file) {
        try {
            PresenceEvent e = Json.MAPPER.readValue(line, PresenceEvent.class);
            if (e == null || e.id() == null || e.source() == null || e.type() == null || e.time() == null) {
                throw new IOException("not an event");
            }
            return e;
        } catch (IOException | RuntimeException e) {
            throw refuse("outbox file " + file + " holds a line that is not an event (" + JdbcEventStore.rootMessage(e)
                    + "); move the line to a file of its own outside the outbox, then start again (nothing was imported)", e);
        }
    }

    private static List<String> readLines(Path f) {
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(String::strip).toList();
        } catch (IOException e) {
            throw refuse("cannot read outbox file " + f + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw refuse("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void rename(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.move(dir, dir.resolveSibling(dir.getFileName() + SUFFIX));
        } catch (IOException e) {
            LOG.warn("Upgrade: imported, but could not rename {} ({}); move it away by hand, it is not read again", dir, e.getMessage());
        }
    }

    private static StoreException refuse(String message, Exception cause) {
        return new StoreException("Upgrade refused: " + message, cause);
    }
}
