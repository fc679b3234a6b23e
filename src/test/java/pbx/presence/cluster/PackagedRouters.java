package pbx.presence.cluster;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Packaged routers as OS processes on one real PostgreSQL, for {@link ClusterFailoverIT} and the
 * cluster benchmark: the server, each router's working folder, its process, and who leads what as
 * PostgreSQL's lock table says.
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

    /**
     * A router's working folder {@code work/name}: the project's application.properties and routes/,
     * with routes/sources.camel.yaml replaced by {@code sourcesYaml}.
     */
    public static Path workDir(Path work, String name, String sourcesYaml) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("sources.camel.yaml")) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(routes.resolve("sources.camel.yaml"), sourcesYaml);
        return dir;
    }

    /** Starts {@code java <options> -jar <jar>} in {@code dir}, its output appended to {@code log}. */
    public static Process start(Path dir, Path log, String jar, List<String> options) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options);
        cmd.add("-jar");
        cmd.add(jar);
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
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
