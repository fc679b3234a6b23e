package pbx.presence.cluster;

import pbx.presence.store.LeadershipEpochs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * The one dedicated PostgreSQL connection through which a router holds its leaderships. Every lock is
 * a session-level advisory lock, so it lives exactly as long as this session: when the router dies,
 * its connection closes and PostgreSQL releases its locks at once. A router that is paused (GC,
 * SIGSTOP, a partition) keeps its TCP connection open, so the session also carries
 * {@code idle_session_timeout}: the heartbeat runs a statement every beat, and a session silent for
 * longer than the timeout is ended by the server, which releases its locks (PostgreSQL 14+).
 *
 * <p>Membership is a shared advisory lock on key 0 that every router holds; counting its holders
 * counts the live routers without a table of our own. Lock keys are two 32-bit integers: a fixed
 * class for this product and the namespace's non-negative hash (0 is reserved for membership). Two
 * namespaces whose hashes collide share one lock: one router then leads both, which is safe.
 */
final class AdvisoryLockSession implements AutoCloseable {

    /** "PBXR": keeps this product's advisory locks apart from any other user of the database. */
    static final int LOCK_CLASS = 0x50425852;

    private final ConnectionSource source;
    private final String memberId;
    private final Duration sessionTimeout;
    private Connection connection;

    AdvisoryLockSession(ConnectionSource source, String memberId, Duration sessionTimeout) {
        this.source = source;
        this.memberId = memberId;
        this.sessionTimeout = sessionTimeout;
    }

    /** A lock key for a namespace: never 0 (membership), always non-negative so pg_locks shows it as is. */
    static int keyOf(String namespace) {
        int key = namespace.hashCode() & 0x7fffffff;
        return key == 0 ? 1 : key;
    }

    /** True when the session was (re)opened by this call: every lock of the previous session is gone. */
    boolean ensureOpen() throws SQLException {
        if (connection != null && !connection.isClosed()) {
            return false;
        }
        close();
        Connection c = source.open();
        try {
            c.setAutoCommit(true);
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT set_config('application_name', ?, false), set_config('idle_session_timeout', ?, false)")) {
                st.setString(1, applicationName(memberId));
                st.setString(2, sessionTimeout.toMillis() + "ms");
                st.execute();
            }
            try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock_shared(?, 0)")) {
                st.setInt(1, LOCK_CLASS);
                st.execute();
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        connection = c;
        return true;
    }

    /** Routers currently connected (holders of the shared membership lock), this one included. */
    int members() throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = ?::oid AND objid = 0::oid"
                        + " AND objsubid = 2 AND granted")) {
            st.setLong(1, LOCK_CLASS);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return Math.max(1, rs.getInt(1));
            }
        }
    }

    boolean tryLock(int key) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    void unlock(int key) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, key);
            st.execute();
        }
    }

    /**
     * Records that this router now leads {@code namespace} and returns the new epoch: one more than
     * the last leader's. The store's commits compare it (fencing), so a former leader that lost its
     * lock while paused can commit nothing once this row has moved on.
     */
    long recordLeadership(String namespace) throws SQLException {
        // on the lock's own session: if PostgreSQL ended the session (and freed the lock), this fails too
        return LeadershipEpochs.bump(connection, namespace, memberId);
    }

    /** The member id of whichever router holds {@code key} now, if any. */
    Optional<String> holderOf(int key) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.locktype = 'advisory' AND l.classid = ?::oid AND l.objid = ?::oid AND l.objsubid = 2"
                        + " AND l.granted AND l.mode = 'ExclusiveLock'")) {
            st.setLong(1, LOCK_CLASS);
            st.setLong(2, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.ofNullable(memberIdOf(rs.getString(1))) : Optional.empty();
            }
        }
    }

    /** The backend process id of this session (tests end it with pg_terminate_backend to cut a router off). */
    int backendPid() throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the session is gone either way; PostgreSQL releases its locks
            }
            connection = null;
        }
    }

    private static String applicationName(String memberId) {
        return "pbx-presence-router/" + memberId;
    }

    private static String memberIdOf(String applicationName) {
        String prefix = "pbx-presence-router/";
        return applicationName != null && applicationName.startsWith(prefix) ? applicationName.substring(prefix.length()) : applicationName;
    }

    /** Opens a new, unpooled connection: the locks must not outlive the session or move with a pool. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
    }
}
