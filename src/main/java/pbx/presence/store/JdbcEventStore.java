package pbx.presence.store;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.EventStore;
import pbx.presence.change.ExtensionState;
import pbx.presence.change.Fencing;
import pbx.presence.change.SinkLog;
import pbx.presence.change.SourceState;
import pbx.presence.change.StoreException;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.model.PresenceEvent;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The router's one durable store (issue 9) over JDBC: last known state per source and extension,
 * the ordered event log and one position per sink, in SQLite (embedded) or PostgreSQL with the same
 * SQL (Flyway migrations in {@code db/migration}). A poll with changes is one transaction that
 * writes only the changed extensions, their events and the source's row.
 *
 * <p>Positions follow commit order: {@link #allocate} moves the one-row {@code log_head} inside the
 * appending transaction, and that row stays locked until commit (PostgreSQL row lock; SQLite has one
 * writer at a time anyway). A transaction that commits later therefore always holds larger
 * positions, and a reader that asks for "everything after P" never misses an event committed after
 * it asked, which plain database sequences do not guarantee.
 *
 * <p>The schema is created (and an old file-based {@code data/} imported) on first use, not in the
 * constructor: a database that is down at start fails polls with one clear line each until it is
 * back, and the router recovers by itself.
 */
public final class JdbcEventStore implements EventStore, SinkLog {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.store");
    private static final ObjectWriter PRESENCE_WRITER = Json.MAPPER.writerFor(ExtensionPresence.class);
    private static final ObjectReader PRESENCE_READER = Json.MAPPER.readerFor(ExtensionPresence.class);

    private final DataSource dataSource;
    private final String where;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Fencing.Fence>> fenceRefused = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<JdbcEventStore>> onFirstUse = new CopyOnWriteArrayList<>();
    private final Runnable migrate;
    private final java.nio.file.Path file;
    private final java.util.Set<String> activeSinks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean ready;
    private volatile ToIntFunction<String> liveFailures = s -> 0;
    private volatile Function<String, Instant> liveGoodPoll = s -> null;
    private volatile Predicate<String> liveDown = s -> false;

    /**
     * @param dataSource the pool
     * @param where how messages name the store (a file or a URL without credentials)
     * @param migrate creates or migrates the schema (Flyway); run once, on first use
     */
    public JdbcEventStore(DataSource dataSource, String where, Runnable migrate) {
        this(dataSource, where, migrate, null);
    }

    /** @param file the embedded database file (to say when its disk is full), null for a server */
    public JdbcEventStore(DataSource dataSource, String where, Runnable migrate, java.nio.file.Path file) {
        this.dataSource = dataSource;
        this.where = where;
        this.migrate = migrate;
        this.file = file;
    }

    /** Work to do once the schema exists, before anything else uses the store (the upgrade import). */
    public void onFirstUse(java.util.function.Consumer<JdbcEventStore> task) {
        onFirstUse.add(task);
    }

    /** What the change detector knows between commits (failures in a row, last good poll, DOWN by count). */
    public void useLiveStatus(ToIntFunction<String> failures, Function<String, Instant> lastGoodPoll, Predicate<String> down) {
        this.liveFailures = failures;
        this.liveGoodPoll = lastGoodPoll;
        this.liveDown = down;
    }

    public String where() {
        return where;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Closes the pool (the store is not used afterwards). */
    public void close() {
        if (dataSource instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing the pool: {}", e.toString());
            }
        }
    }

    /** True once {@link #ready} succeeded: a reader that must not open the store itself (the sink lag) can wait for it. */
    public boolean isReady() {
        return ready;
    }

    /** Creates or migrates the schema and runs the first-use tasks, once; throws {@link StoreException} until it succeeds. */
    public void ready() {
        if (ready) {
            return;
        }
        synchronized (this) {
            if (ready) {
                return;
            }
            try {
                migrate.run();
            } catch (RuntimeException e) {
                throw new StoreException("the event store " + where + " cannot be opened: " + rootMessage(e)
                        + (where.startsWith("jdbc:") ? "" : "; if the file is damaged, restore it from a backup"), e);
            }
            for (var task : onFirstUse) {
                task.accept(this);
            }
            ready = true;
        }
    }

    // ---------------------------------------------------------------- change detector side

    /**
     * {@inheritDoc} The rows are read in one transaction with a fetch size, so PostgreSQL streams them
     * instead of holding every row of a million-extension source at once (its driver only streams
     * inside a transaction); SQLite streams anyway.
     */
    @Override
    public Optional<SourceState> scan(String sourceId, BiConsumer<String, ExtensionState> each) {
        ready();
        return inTransaction("read the state of source " + sourceId, c -> scan(c, sourceId, each));
    }

    private Optional<SourceState> scan(Connection c, String sourceId, BiConsumer<String, ExtensionState> each) throws SQLException {
        long sequence = 0;
        boolean down = false;
        boolean known = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT sequence, down FROM source_state WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    sequence = rs.getLong(1);
                    down = rs.getBoolean(2);
                    known = true;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT extension, sequence, presence FROM extension_state WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String ext = rs.getString(1);
                    each.accept(ext, new ExtensionState(presenceOf(sourceId, ext, rs.getBytes(3)), rs.getLong(2)));
                    known = true;
                }
            }
        }
        return known ? Optional.of(new SourceState(sourceId, Map.of(), sequence, down)) : Optional.empty();
    }

    /** Extensions per statement: far below every database's limit of bound parameters. */
    private static final int IN_LIST = 500;

    /**
     * {@inheritDoc} One statement per {@value #IN_LIST} extensions ({@code extension IN (?, …)}), the
     * same SQL for SQLite and PostgreSQL; a poll with 1 % of 100,000 extensions changed reads its
     * 1,000 previous states in two statements.
     */
    @Override
    public Map<String, ExtensionState> loadExtensions(String sourceId, Collection<String> extensions) {
        ready();
        Map<String, ExtensionState> out = new HashMap<>(extensions.size() * 2);
        if (extensions.isEmpty()) {
            return out;
        }
        List<String> all = new ArrayList<>(extensions);
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < all.size(); from += IN_LIST) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
                try (PreparedStatement ps = c.prepareStatement(selectExtensions(chunk.size()))) {
                    ps.setString(1, sourceId);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String ext = rs.getString(1);
                            out.put(ext, new ExtensionState(presenceOf(sourceId, ext, rs.getBytes(3)), rs.getLong(2)));
                        }
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the state of " + all.size() + " extension(s) of source " + sourceId, e);
        }
    }

    private static String selectExtensions(int n) {
        StringBuilder sql = new StringBuilder("SELECT extension, sequence, presence FROM extension_state WHERE source_id = ? AND extension IN (");
        for (int i = 0; i < n; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.append(')').toString();
    }

    @Override
    public Optional<SourceState> loadSource(String sourceId) {
        ready();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT sequence, down FROM source_state WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SourceState(sourceId, Map.of(), rs.getLong(1), rs.getBoolean(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the state of source " + sourceId, e);
        }
    }

    /** A stored state that does not parse is never "no state": it fails the source's polls, saying what to do. */
    private ExtensionPresence presenceOf(String sourceId, String extension, byte[] stored) {
        if (stored == null) {
            return null;
        }
        try {
            ExtensionPresence p = PRESENCE_READER.readValue(Deflated.text(stored));
            if (p == null || !sourceId.equals(p.source()) || !extension.equals(p.extension()) || p.availability() == null) {
                throw new IllegalArgumentException("it is not the state of this extension");
            }
            return p;
        } catch (IOException | RuntimeException e) {
            throw new StoreException("the stored state of extension " + extension + " of source " + sourceId + " in " + where
                    + " cannot be trusted (" + rootMessage(e) + "); restore the store from a backup, or mark the extension removed with "
                    + "UPDATE extension_state SET presence = NULL WHERE source_id = '" + sourceId + "' AND extension = '" + extension
                    + "' (its sequence is kept: the next poll announces it as added with a new event id)", e);
        }
    }

    @Override
    public void commit(Commit commit) {
        commit(commit, (Fencing.Fence) null);
    }

    /** {@inheritDoc} A null fence commits unchecked (one router). */
    @Override
    public void commit(Commit commit, Fencing.Fence fence) {
        ready();
        List<PresenceEvent> events = commit.events();
        List<byte[]> eventJson = new ArrayList<>(events.size());
        for (PresenceEvent e : events) {
            eventJson.add(Deflated.of(toJson(e)));
        }
        inTransaction("commit the poll of source " + commit.sourceId(), c -> {
            checkFence(c, fence, "source " + commit.sourceId());
            long first = events.isEmpty() ? 0 : allocate(c, events.size()) - events.size() + 1;
            upsertExtensions(c, commit.sourceId(), commit.extensions());
            appendEvents(c, first, events, eventJson);
            upsertSource(c, commit);
            return null;
        });
        if (!events.isEmpty()) {
            notifyListeners();
        }
    }

    /**
     * Fencing (issue 12, {@link LeadershipEpochs}): the leadership epoch this commit was made under must
     * still be the one in {@code cluster_leadership}. A null fence (one router) checks nothing. A refused
     * fence is reported to the {@link #onFenceRefused} listeners before the commit fails.
     */
    private void checkFence(Connection c, Fencing.Fence fence, String what) throws SQLException {
        if (fence == null) {
            return;
        }
        try {
            LeadershipEpochs.check(c, fence, what, where.startsWith("jdbc:postgresql"));
        } catch (Fencing.LostLeadership e) {
            fenceRefused.forEach(l -> l.accept(fence));
            throw e;
        }
    }

    /** Tells {@code listener} of every fence a commit was refused under (its epoch had moved on). */
    public void onFenceRefused(java.util.function.Consumer<Fencing.Fence> listener) {
        fenceRefused.add(listener);
    }

    /**
     * Records, in its own transaction, that {@code leader} now leads {@code namespace}, and returns the
     * new fencing epoch ({@link LeadershipEpochs#bump}); waits for a commit in flight under the old one.
     */
    public long takeLeadership(String namespace, String leader) {
        ready();
        try (Connection c = dataSource.getConnection()) {
            return LeadershipEpochs.bump(c, namespace, leader);
        } catch (SQLException e) {
            throw failure("record the leadership of " + namespace, e);
        }
    }

    /**
     * Takes {@code n} positions and returns the last. The UPDATE locks log_head until this
     * transaction ends, which is what keeps positions in commit order (see the class comment).
     */
    static long allocate(Connection c, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE log_head SET position = position + ? WHERE id = 1 RETURNING position")) {
            ps.setLong(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("log_head has no row: the schema is damaged");
                }
                return rs.getLong(1);
            }
        }
    }

    static void upsertExtensions(Connection c, String sourceId, Map<String, ExtensionState> extensions) throws SQLException {
        if (extensions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO extension_state (source_id, extension, sequence, presence) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (source_id, extension) DO UPDATE SET sequence = excluded.sequence, "
                + "presence = excluded.presence")) {
            int batched = 0;
            for (Map.Entry<String, ExtensionState> e : extensions.entrySet()) {
                ps.setString(1, sourceId);
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue().sequence());
                if (e.getValue().last() == null) {
                    ps.setNull(4, Types.BINARY);
                } else {
                    ps.setBytes(4, Deflated.of(toJson(e.getValue().last())));
                }
                ps.addBatch();
                if (++batched % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    static void appendEvents(Connection c, long first, List<PresenceEvent> events, List<byte[]> json) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event_log (position, source_id, extension, sequence, type, "
                + "event_time, json) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < events.size(); i++) {
                PresenceEvent e = events.get(i);
                ps.setLong(1, first + i);
                ps.setString(2, e.sourceId());
                ps.setString(3, e.subject());
                ps.setLong(4, e.sequence());
                ps.setString(5, e.type());
                ps.setLong(6, e.time().toEpochMilli());
                ps.setBytes(7, json.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void upsertSource(Connection c, Commit commit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO source_state (source_id, vendor, sequence, down, failures, "
                + "last_good_poll) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET "
                + "vendor = COALESCE(excluded.vendor, source_state.vendor), sequence = excluded.sequence, down = excluded.down, "
                + "failures = excluded.failures, last_good_poll = COALESCE(excluded.last_good_poll, source_state.last_good_poll)")) {
            ps.setString(1, commit.sourceId());
            ps.setString(2, commit.vendor());
            ps.setLong(3, commit.sourceSequence());
            ps.setBoolean(4, commit.down());
            ps.setInt(5, commit.failures());
            if (commit.goodPoll() == null) {
                ps.setNull(6, Types.BIGINT);
            } else {
                ps.setLong(6, commit.goodPoll().toEpochMilli());
            }
            ps.executeUpdate();
        }
    }

    static String toJson(Object value) {
        try {
            return value instanceof ExtensionPresence p ? PRESENCE_WRITER.writeValueAsString(p) : Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- read side (PresenceLog)

    @Override
    public long headPosition() {
        ready();
        return queryLong("read the log head", "SELECT position FROM log_head WHERE id = 1", 0);
    }

    @Override
    public long oldestPosition() {
        ready();
        long oldest = queryLong("read the log", "SELECT MIN(position) FROM event_log", -1);
        return oldest < 0 ? headPosition() + 1 : oldest;
    }

    @Override
    public List<LoggedEvent> eventsAfter(long after, int limit, String sourceId, String type) {
        ready();
        StringBuilder sql = new StringBuilder(
                "SELECT position, source_id, extension, sequence, type, event_time, json FROM event_log WHERE position > ?");
        if (sourceId != null) {
            sql.append(" AND source_id = ?");
        }
        if (type != null) {
            sql.append(" AND type = ?");
        }
        sql.append(" ORDER BY position LIMIT ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            ps.setLong(i++, after);
            if (sourceId != null) {
                ps.setString(i++, sourceId);
            }
            if (type != null) {
                ps.setString(i++, type);
            }
            ps.setInt(i, Math.max(1, limit));
            List<LoggedEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LoggedEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                            Instant.ofEpochMilli(rs.getLong(6)), eventText(rs.getLong(1), rs.getBytes(7))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the event log", e);
        }
    }

    /** An event row whose bytes do not inflate is handed on as what it is, for the sink's dead letter. */
    private static String eventText(long position, byte[] stored) {
        try {
            return Deflated.text(stored);
        } catch (IllegalArgumentException e) {
            return new String(stored, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public Snapshot snapshot() {
        ready();
        // one statement: a consistent view of the rows and the head they reflect, in SQLite and PostgreSQL
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT (SELECT position FROM log_head WHERE id = 1), source_id, extension, sequence, presence "
                        + "FROM extension_state WHERE presence IS NOT NULL ORDER BY source_id, extension")) {
            ps.setFetchSize(1000);
            List<StoredExtension> out = new ArrayList<>();
            long head = -1;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    head = rs.getLong(1);
                    out.add(new StoredExtension(rs.getString(2), presenceOf(rs.getString(2), rs.getString(3), rs.getBytes(5)), rs.getLong(4)));
                }
            }
            return new Snapshot(head < 0 ? headPosition() : head, out);
        } catch (SQLException e) {
            throw failure("read the snapshot", e);
        }
    }

    @Override
    public Optional<StoredExtension> extension(String sourceId, String extension) {
        ready();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sequence, presence FROM extension_state WHERE source_id = ? AND extension = ? AND presence IS NOT NULL")) {
            ps.setString(1, sourceId);
            ps.setString(2, extension);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredExtension(sourceId, presenceOf(sourceId, extension, rs.getBytes(2)), rs.getLong(1)));
            }
        } catch (SQLException e) {
            throw failure("read extension " + extension + " of source " + sourceId, e);
        }
    }

    @Override
    public List<SourceStatus> sources() {
        ready();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT s.source_id, s.vendor, s.down, s.last_good_poll, s.failures, "
                        + "(SELECT COUNT(*) FROM extension_state e WHERE e.source_id = s.source_id AND e.presence IS NOT NULL) "
                        + "FROM source_state s ORDER BY s.source_id")) {
            List<SourceStatus> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    long stored = rs.getLong(4);
                    Instant storedPoll = rs.wasNull() ? null : Instant.ofEpochMilli(stored);
                    Instant live = liveGoodPoll.apply(id);
                    Instant lastGood = live != null && (storedPoll == null || live.isAfter(storedPoll)) ? live : storedPoll;
                    int failures = rs.getBoolean(3) ? Math.max(rs.getInt(5), liveFailures.applyAsInt(id)) : liveFailures.applyAsInt(id);
                    out.add(new SourceStatus(id, rs.getString(2), rs.getBoolean(3) || liveDown.test(id), lastGood, failures, rs.getInt(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the sources", e);
        }
    }

    @Override
    public void onCommit(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void removeOnCommit(Runnable listener) {
        listeners.remove(listener);
    }

    void notifyListeners() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("A commit listener failed: {}", e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- sink positions

    @Override
    public long sinkPosition(String sink, StartAt start) {
        ready();
        try (Connection c = dataSource.getConnection()) {
            Long stored = storedPosition(c, sink);
            if (stored != null) {
                return stored;
            }
            long initial = switch (start.kind()) {
                case START -> 0;
                case END -> queryLong(c, "SELECT position FROM log_head WHERE id = 1", 0);
                case TIME -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(position) FROM event_log WHERE event_time < ?")) {
                        ps.setLong(1, start.time().toEpochMilli());
                        try (ResultSet rs = ps.executeQuery()) {
                            long p = rs.next() ? rs.getLong(1) : 0;
                            yield rs.wasNull() ? 0 : p;
                        }
                    }
                }
            };
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sink_position (sink, position, updated_at) VALUES (?, ?, ?) "
                    + "ON CONFLICT (sink) DO NOTHING")) {
                ps.setString(1, sink);
                ps.setLong(2, initial);
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            Long now = storedPosition(c, sink);
            LOG.info("Sink {} is new: it starts after log position {} ({})", sink, now, start.kind().name().toLowerCase()
                    + (start.time() == null ? "" : " " + start.time()));
            return now == null ? initial : now;
        } catch (SQLException e) {
            throw failure("read the position of sink " + sink, e);
        }
    }

    private static Long storedPosition(Connection c, String sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT position FROM sink_position WHERE sink = ?")) {
            ps.setString(1, sink);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    @Override
    public void consuming(String sink, boolean active) {
        if (!active) {
            activeSinks.remove(sink);
        } else if (!activeSinks.add(sink)) {
            throw new IllegalStateException("sink name " + sink + " is already consumed by another route: give each sink route its own name");
        }
    }

    /** The sinks consuming in this process. */
    public java.util.Set<String> consumingSinks() {
        return java.util.Set.copyOf(activeSinks);
    }

    @Override
    public void saveSinkPosition(String sink, long position, Fencing.Fence fence) {
        ready();
        inTransaction("save the position of sink " + sink, c -> {
            checkFence(c, fence, "sink " + sink);
            savePosition(c, sink, position);
            return null;
        });
    }

    @Override
    public void saveSinkPosition(String sink, long position) {
        ready();
        try (Connection c = dataSource.getConnection()) {
            savePosition(c, sink, position);
        } catch (SQLException e) {
            throw failure("save the position of sink " + sink, e);
        }
    }

    static void savePosition(Connection c, String sink, long position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sink_position (sink, position, updated_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (sink) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at")) {
            ps.setString(1, sink);
            ps.setLong(2, position);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    /** Every sink's stored position, by name. */
    public Map<String, Long> sinkPositions() {
        ready();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT sink, position FROM sink_position ORDER BY sink");
             ResultSet rs = ps.executeQuery()) {
            Map<String, Long> out = new java.util.TreeMap<>();
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the sink positions", e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private long queryLong(String what, String sql, long def) {
        try (Connection c = dataSource.getConnection()) {
            return queryLong(c, sql, def);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    static long queryLong(Connection c, String sql, long def) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return def;
            }
            long v = rs.getLong(1);
            return rs.wasNull() ? def : v;
        }
    }

    StoreException failure(String what, Exception e) {
        return new StoreException("the event store " + where + " could not " + what + ": " + rootMessage(e) + diskNote(), e);
    }

    /**
     * SQLite reports a full disk at commit time in words that do not say so ("cannot commit - no
     * transaction is active" after its automatic rollback): name the cause when the disk is nearly full.
     */
    private String diskNote() {
        if (file == null) {
            return "";
        }
        try {
            java.nio.file.Path dir = file.toAbsolutePath().getParent();
            long free = java.nio.file.Files.getFileStore(dir).getUsableSpace();
            return free < 1_000_000 ? " (the disk holding " + dir + " is full: " + free + " bytes free)" : "";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * The message that says what went wrong: wrappers are skipped (Flyway's, and the pool's "connection
     * is not available" when it carries the driver's reason), whitespace folded to one line.
     */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        for (int depth = 0; depth < 10 && t.getCause() != null && t.getCause() != t; depth++) {
            boolean wrapper = t.getMessage() == null || t instanceof java.lang.reflect.UndeclaredThrowableException
                    || t.getClass().getName().startsWith("org.flywaydb")
                    || t instanceof java.sql.SQLTransientConnectionException;
            if (!wrapper) {
                break;
            }
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ").strip();
    }

    /** Work on one connection inside a transaction. */
    @FunctionalInterface
    private interface Transaction<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. A
     * database error becomes a {@link StoreException} saying what could not be done ({@code what});
     * anything else (a lost fence) is thrown as it is.
     */
    private <T> T inTransaction(String what, Transaction<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction dies with it
        }
    }
}
