package pbx.presence.store;

import pbx.presence.config.ConfigurationException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One router per store (issue 8 item 5): two routers on one store would hand out the same sequence
 * numbers from their in-memory state. Held for the process's life and released by its death: an OS
 * file lock on {@code router.lock} beside the embedded database, or, on PostgreSQL, a session-level
 * advisory lock on a connection of its own (the server releases it when the session ends).
 */
public final class RouterLock implements AutoCloseable {

    /** The advisory lock key on PostgreSQL ("PBXPRESE" in ASCII). */
    static final long ADVISORY_KEY = 0x5042585052455345L;

    private final AutoCloseable held;

    private RouterLock(AutoCloseable held) {
        this.held = held;
    }

    /** Locks {@code folder/router.lock}, or refuses the start with one line when another router holds it. */
    public static RouterLock onFolder(Path folder) {
        Path file = folder.resolve("router.lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(folder);
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another router in this same JVM
            }
            if (lock == null) {
                ch.close();
                throw new ConfigurationException("another router uses the data folder " + folder.toAbsolutePath()
                        + " (it holds " + file.getFileName() + "); stop it first, or give this router its own folder");
            }
            FileChannel channel = ch;
            FileLock l = lock;
            return new RouterLock(() -> {
                l.release();
                channel.close();
            });
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ConfigurationException("cannot lock the data folder " + folder.toAbsolutePath() + " (" + e.getMessage()
                    + "); check that the router may write there");
        }
    }

    /**
     * Takes the advisory lock on its own connection; refuses with one line when another router holds
     * it. Throws {@link SQLException} when the database cannot be reached (the caller retries later).
     */
    public static RouterLock onPostgres(StoreSettings s) throws SQLException {
        Connection c = DriverManager.getConnection(s.url(), s.username(), s.password());
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, ADVISORY_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    c.close();
                    throw new ConfigurationException("another router uses the store " + s.where()
                            + " (it holds the advisory lock " + ADVISORY_KEY + "); stop it first, or give this router its own database");
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        return new RouterLock(c);
    }

    @Override
    public void close() {
        closeQuietly(held);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // released by the process's end at the latest
            }
        }
    }
}
