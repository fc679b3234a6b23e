package pbx.presence.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The PostgreSQL side of packaged routers in database mode, for {@link ClusterFailoverIT} and the
 * cluster benchmark: the server, and who leads what as PostgreSQL's lock table says. The routers
 * themselves are started by {@link pbx.presence.PackagedRouter}.
 */
public final class PackagedRouters {

    private PackagedRouters() {
    }

    /** An embedded PostgreSQL server; fails saying why when it cannot start here. */
    public static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new AssertionError("the embedded PostgreSQL server cannot start here: " + e.getMessage(), e);
        }
    }

    /** The member id of the router that holds {@code namespace}'s advisory lock now (database mode), if any. */
    public static Optional<String> holder(Connection c, String namespace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                        + " AND l.classid = ?::oid AND l.objid = ?::oid AND l.objsubid = 2 AND l.granted AND l.mode = 'ExclusiveLock'")) {
            ps.setLong(1, AdvisoryLockSession.LOCK_CLASS);
            ps.setLong(2, AdvisoryLockSession.keyOf(namespace));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1).substring("pbx-presence-router/".length())) : Optional.empty();
            }
        }
    }

    /** Routers connected in database mode (holders of the shared membership lock). */
    public static int members(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND classid = ?::oid AND objid = 0::oid AND objsubid = 2 AND granted")) {
            ps.setLong(1, AdvisoryLockSession.LOCK_CLASS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
