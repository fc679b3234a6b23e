package pbx.presence.store;

import pbx.presence.change.Fencing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The SQL of fencing (issue 12), in one place for every cluster mode: the table
 * {@code cluster_leadership} holds, per namespace (source-&lt;id&gt;, sink-&lt;name&gt;), the epoch of its
 * current leadership. A router that gains a leadership bumps the epoch ({@link #bump}); each of its
 * commits checks, in the commit's own transaction, that the epoch is still the one it bumped to
 * ({@link #check}).
 *
 * <p>Why no event id is issued twice: on PostgreSQL the check reads the row {@code FOR SHARE} and the
 * bump is an {@code UPDATE} of the same row, so they exclude each other. A bump therefore waits for a
 * commit in flight and is ordered after it; a commit that starts after the bump sees the new epoch and
 * fails. The new leader reloads its state from the store after its bump, so it sees every commit the
 * old leader made, and the old leader can make none afterwards.
 */
public final class LeadershipEpochs {

    private LeadershipEpochs() {
    }

    /**
     * Records that {@code leader} now leads {@code namespace} and returns the new epoch: one more than
     * the last leader's. Runs in {@code c}'s current transaction (auto-commit: at once).
     */
    public static long bump(Connection c, String namespace, String leader) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO cluster_leadership (namespace, epoch, leader, since) VALUES (?, 1, ?, now())"
                        + " ON CONFLICT (namespace) DO UPDATE SET epoch = cluster_leadership.epoch + 1,"
                        + " leader = excluded.leader, since = excluded.since RETURNING epoch")) {
            st.setString(1, namespace);
            st.setString(2, leader);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Throws {@link Fencing.LostLeadership} unless {@code fence}'s epoch is still the namespace's;
     * {@code lockRow} (PostgreSQL) holds the row against a bump until {@code c}'s transaction ends.
     */
    static void check(Connection c, Fencing.Fence fence, String what, boolean lockRow) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM cluster_leadership WHERE namespace = ?" + (lockRow ? " FOR SHARE" : ""))) {
            ps.setString(1, fence.namespace());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) != fence.epoch()) {
                    throw new Fencing.LostLeadership(what);
                }
            }
        }
    }
}
