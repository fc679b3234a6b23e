package pbx.presence.change;

import com.fasterxml.jackson.databind.ObjectWriter;
import pbx.presence.model.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One JSON file per source under a directory, replaced atomically (write a temporary file, fsync,
 * rename). Written by hand rather than Camel's FileStateRepository because that holds one string
 * per key and rewrites its whole file on every key change; here a poll's changes for thousands of
 * extensions become one write.
 */
public final class FileStateStore implements StateStore {

    private static final ObjectWriter WRITER = Json.MAPPER.writerFor(SourceState.class);

    private final Path directory;

    public FileStateStore(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Optional<SourceState> load(String sourceId) {
        Path file = fileOf(sourceId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), SourceState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("state file " + file + " is unreadable (" + e.getMessage()
                    + "); move it away to start this source from a fresh baseline", e);
        }
    }

    @Override
    public void save(SourceState state) {
        Path file = fileOf(state.sourceId());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = Channels.newOutputStream(ch)) {
            WRITER.writeValue(new NonClosing(out), state);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state file " + tmp + ": " + e.getMessage(), e);
        }
        try {
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace state file " + file + ": " + e.getMessage(), e);
        }
    }

    private Path fileOf(String sourceId) {
        return directory.resolve(SourceIds.requireValid(sourceId) + ".json");
    }

    /** Lets Jackson finish writing without closing the channel before it is forced to disk. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
