package pbx.presence.change;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A folder per sink under the outbox directory; each poll with changes adds one JSON Lines file
 * per sink, named so that names sort in creation order. Each sink's route consumes its folder with
 * Camel's file component (one thread, sorted by name, the file deleted once every event in it was
 * delivered or dead-lettered), which gives per-sink isolation, ordering and crash safety without a
 * broker. Files are staged as {@code .tmp} (invisible to the consumers) and renamed on commit.
 */
public final class FileOutbox implements Outbox {

    public static final String SUFFIX = ".jsonl";
    private static final String STAGED = ".tmp";
    private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);

    private final Path directory;
    private final List<String> sinks;
    private final AtomicLong lastOrdinal = new AtomicLong();

    /**
     * @param directory the outbox root
     * @param sinks the names of the enabled sinks; each gets its own folder
     */
    public FileOutbox(Path directory, List<String> sinks) {
        this.directory = directory;
        this.sinks = List.copyOf(sinks);
        try {
            for (String sink : this.sinks) {
                Files.createDirectories(directory.resolve(sink));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create outbox directory " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** The folder a sink's route consumes. */
    public Path folderOf(String sink) {
        return directory.resolve(sink);
    }

    @Override
    public Staged stage(String sourceId, List<PresenceEvent> events) {
        if (events.isEmpty() || sinks.isEmpty()) {
            return NOTHING;
        }
        byte[] bytes = toJsonLines(events);
        String name = String.format("%020d-%s", nextOrdinal(), sourceId) + SUFFIX;
        List<Path> staged = new ArrayList<>(sinks.size());
        try {
            for (String sink : sinks) {
                Path tmp = directory.resolve(sink).resolve(name + STAGED);
                writeDurably(tmp, bytes);
                staged.add(tmp);
            }
        } catch (IOException e) {
            deleteQuietly(staged);
            throw new UncheckedIOException("cannot write outbox file " + name + ": " + e.getMessage(), e);
        }
        return new Staged() {
            @Override
            public void commit() {
                for (Path tmp : staged) {
                    publish(tmp);
                }
            }

            @Override
            public void abort() {
                deleteQuietly(staged);
            }
        };
    }

    @Override
    public void recover(StateStore store) {
        for (String sink : sinks) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory.resolve(sink), "*" + SUFFIX + STAGED)) {
                for (Path tmp : files) {
                    if (committedInState(tmp, store)) {
                        LOG.info("Outbox recovery: publishing " + tmp.getFileName() + " staged before a stop");
                        publish(tmp);
                    } else {
                        LOG.info("Outbox recovery: discarding " + tmp.getFileName()
                                + " (its state was never saved; the next poll detects the same changes)");
                        deleteQuietly(List.of(tmp));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot scan outbox " + directory.resolve(sink) + ": " + e.getMessage(), e);
            }
        }
    }

    /** A staged batch counts as committed when the saved state already carries its first event's sequence. */
    private static boolean committedInState(Path tmp, StateStore store) throws IOException {
        String first;
        try (var lines = Files.lines(tmp, StandardCharsets.UTF_8)) {
            first = lines.filter(l -> !l.isBlank()).findFirst().orElse(null);
        }
        if (first == null) {
            return false;
        }
        PresenceEvent event;
        try {
            event = Json.MAPPER.readValue(first, PresenceEvent.class);
        } catch (IOException e) {
            return false; // torn write: never committed, since commit follows the fsync
        }
        Optional<SourceState> state = store.load(event.sourceId());
        if (state.isEmpty()) {
            return false;
        }
        if (event.subject() == null) {
            return state.get().sequence() >= event.sequence();
        }
        ExtensionState ext = state.get().extensions().get(event.subject());
        return ext != null && ext.sequence() >= event.sequence();
    }

    private long nextOrdinal() {
        long micros = System.currentTimeMillis() * 1000;
        return lastOrdinal.updateAndGet(prev -> Math.max(prev + 1, micros));
    }

    static byte[] toJsonLines(List<PresenceEvent> events) {
        StringBuilder sb = new StringBuilder(events.size() * 1024);
        try {
            for (PresenceEvent e : events) {
                sb.append(Json.MAPPER.writeValueAsString(e)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise event: " + e.getMessage(), e);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void publish(Path tmp) {
        String name = tmp.getFileName().toString();
        Path target = tmp.resolveSibling(name.substring(0, name.length() - STAGED.length()));
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish outbox file " + target + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // a leftover .tmp is discarded by recover() at the next start
            }
        }
    }

    private static final Staged NOTHING = new Staged() {
        @Override
        public void commit() {
        }

        @Override
        public void abort() {
        }
    };
}
