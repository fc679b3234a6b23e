package pbx.presence.api;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.PresenceLog;
import pbx.presence.change.PresenceLog.LoggedEvent;
import pbx.presence.model.EventType;
import pbx.presence.model.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * {@code GET /api/events/stream}: the event log as Server-Sent Events, live. Each event is sent as
 * {@code id: <log position>} and {@code data: <the event's JSON>}; a client resumes with
 * {@code Last-Event-ID} (or {@code ?after=}) and loses and repeats nothing. A comment line is sent
 * every heartbeat period so proxies keep the connection open.
 *
 * <p>Why a Vert.x handler and not a REST DSL route: platform-http buffers a streamed body and holds
 * a worker thread per request (STACK.md). Here a client costs no thread: the store's commit listener
 * wakes one reader thread (once per commit, however many events it holds; commits that come while
 * it reads are coalesced), which reads the new events once and encodes each once into a shared
 * {@link EventRing}; then each client's event loop writes the ring's frames themselves (no per-client
 * copy) while its connection accepts data. Nothing is queued per client beyond the connection's own
 * write queue, which holds references to those frames: a client whose connection has not drained
 * for {@code presence.api.stream.slow-client-seconds} is sent a final {@code dropped} event saying
 * why and closed. The ring keeps only what some client has not been handed yet, so it is small
 * while clients keep up. A client further behind than the ring (bounded by
 * {@code presence.api.stream.buffer-kilobytes}) reads its pages from the log on the reader thread, one
 * page at a time for all such clients, with the same read the {@code /api/events} replay uses, and
 * rejoins the ring once it has caught up.
 */
public final class EventStream implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final int PAGE = 200;
    private static final int LOG_PAGE = 500;
    private static final int FLUSH_BYTES = 64 * 1024;

    private final Supplier<PresenceLog> log;
    private final ApiSettings settings;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong logPages = new java.util.concurrent.atomic.AtomicLong();
    private final Runnable commitListener = this::signal;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pbx-api-stream-reader");
        t.setDaemon(true);
        return t;
    });
    private volatile EventRing ring;
    private boolean initFailed;
    private Vertx vertx;
    private long heartbeatTimer = -1;
    private long tickTimer = -1;

    public EventStream(Supplier<PresenceLog> log, ApiSettings settings) {
        this.log = log;
        this.settings = settings;
    }

    /**
     * Starts following the log: called once the API's HTTP server runs. A store that cannot be read
     * yet (damaged, unreachable) does not stop the router: the stream answers 503 and tries again
     * every second.
     */
    void start(Vertx vertx) {
        this.vertx = vertx;
        heartbeatTimer = vertx.setPeriodic(settings.heartbeat().toMillis(), id -> heartbeat());
        // once a second: drop clients that stopped reading, and read the log even if a commit signal was missed
        tickTimer = vertx.setPeriodic(1000, id -> {
            dropSlowClients();
            if (ring == null) {
                reader.execute(this::init);
            } else {
                signal();
            }
        });
        reader.execute(this::init);
    }

    private void init() {
        if (ring != null) {
            return;
        }
        try {
            PresenceLog l = log.get();
            ring = new EventRing(settings.bufferBytes(), l.headPosition(), EventStream::frame);
            l.onCommit(commitListener);
        } catch (RuntimeException e) {
            if (!initFailed) {
                LOG.warn("Event stream waits for the event log ({}); it answers 503 until then", e.getMessage());
                initFailed = true;
            }
        }
    }

    /** Ends every stream with a final event (clients reconnect with Last-Event-ID) and stops reading. */
    void stop() {
        if (ring != null && log.get() instanceof pbx.presence.change.SinkLog l) {
            l.removeOnCommit(commitListener);
        }
        if (vertx != null) {
            vertx.cancelTimer(heartbeatTimer);
            vertx.cancelTimer(tickTimer);
        }
        for (Client c : clients) {
            c.context.runOnContext(v -> drop(c, "the router is stopping; reconnect with Last-Event-ID to resume"));
        }
        reader.shutdown();
        try {
            reader.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Number of connected stream clients. */
    public int clientCount() {
        return clients.size();
    }

    /** Pages clients behind the ring have read from the log since start (each one log read and encoding for one client). */
    public long logPagesRead() {
        return logPages.get();
    }

    /** Bytes of encoded events the stream keeps in memory for its clients now (at most presence.api.stream.buffer-kilobytes). */
    public long bufferedBytes() {
        EventRing r = ring;
        return r == null ? 0 : r.bytes();
    }

    /** The store committed events: read them once into the ring (coalesced: one read for many commits). */
    void signal() {
        if (ring != null && !reader.isShutdown() && refreshPending.compareAndSet(false, true)) {
            try {
                reader.execute(this::refresh);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                refreshPending.set(false);
            }
        }
    }

    @Override
    public void handle(RoutingContext rc) {
        if (ring == null) {
            ApiHttp.problem(rc, Problem.of(503, "No event log store is configured, so there is no event stream"));
            return;
        }
        String source = blankToNull(rc.request().getParam("source"));
        String type = blankToNull(rc.request().getParam("type"));
        long after;
        try {
            if (type != null) {
                EventType.fromWire(type);
            }
            after = startPosition(rc);
        } catch (ApiProblem p) {
            ApiHttp.problem(rc, p.problem());
            return;
        } catch (IllegalArgumentException e) {
            ApiHttp.problem(rc, Problem.of(400, e.getMessage()));
            return;
        }
        HttpServerResponse res = rc.response();
        res.setChunked(true);
        res.putHeader("Content-Type", "text/event-stream; charset=utf-8");
        res.putHeader("Cache-Control", "no-store");
        res.putHeader("X-Accel-Buffering", "no");
        Client c = new Client(vertx.getOrCreateContext(), res, rc.request().connection(), after, source, type,
                String.valueOf(rc.request().remoteAddress()));
        res.closeHandler(v -> close(c));
        res.exceptionHandler(e -> close(c));
        clients.add(c);
        // the reconnection delay browsers use after a dropped connection, and the headers go out now
        res.write("retry: 2000\n: following the event log after position " + after + "\n\n");
        pump(c);
        signal();
    }

    /** Last-Event-ID, else {@code ?after=}, else the head (live events only); refuses pruned positions. */
    private long startPosition(RoutingContext rc) {
        String lastId = blankToNull(rc.request().getHeader("Last-Event-ID"));
        String value = lastId != null ? lastId : blankToNull(rc.request().getParam("after"));
        if (value == null) {
            return ring.head();
        }
        long after;
        try {
            after = Long.parseLong(value);
        } catch (NumberFormatException e) {
            after = -1;
        }
        if (after < 0) {
            throw new ApiProblem(400, (lastId != null ? "Last-Event-ID" : "after") + " must be a log position (a whole number), was '" + value + "'");
        }
        if (after < ring.head()) {
            PresenceApi.checkRetained(log.get(), after);
        }
        return after;
    }

    private void refresh() {
        refreshPending.set(false);
        // a new commit: the last log page read may be joined by newer events, and is not kept at rest
        lastKey = null;
        lastPage = null;
        try {
            PresenceLog l = log.get();
            if (clients.isEmpty()) {
                // nobody listens: read no events, only where the log ends (a late client reads the log)
                ring.reset(l.headPosition());
                return;
            }
            while (true) {
                long head = l.headPosition();
                List<LoggedEvent> batch = l.eventsAfter(ring.head(), 1000, null, null);
                ring.append(batch);
                if (batch.size() < 1000) {
                    // commits are visible in position order: nothing more up to head
                    ring.advanceTo(head);
                    break;
                }
            }
            ring.dropUpTo(slowestPosition());
        } catch (RuntimeException e) {
            LOG.warn("Event stream could not read the event log ({}); retrying within a second", e.getClass().getSimpleName());
            return;
        }
        for (Client c : clients) {
            c.context.runOnContext(v -> pump(c));
        }
    }

    /** The position every connected client has been handed (they only move forward, so a stale read is safe). */
    private long slowestPosition() {
        long min = Long.MAX_VALUE;
        for (Client c : clients) {
            min = Math.min(min, c.position);
        }
        return min == Long.MAX_VALUE ? -1 : min;
    }

    /**
     * Writes what the client has not seen while its connection accepts data (runs on the client's
     * context): the ring's frames themselves, gathered into one write per {@value #FLUSH_BYTES}
     * bytes, so a wake-up costs a client one write and one flush, not one per event.
     */
    private void pump(Client c) {
        if (c.closed || c.reading) {
            return;
        }
        Batch out = new Batch();
        while (true) {
            if (c.response.writeQueueFull()) {
                out.writeTo(c);
                waitForDrain(c);
                return;
            }
            EventRing.Page page = ring.after(c.position, PAGE, c.source, c.type);
            if (page == null) {
                out.writeTo(c);
                readFromLog(c);
                return;
            }
            out.addAll(page.frames());
            c.position = page.coveredUpTo();
            if (out.bytes >= FLUSH_BYTES) {
                out.writeTo(c);
                out = new Batch();
            }
            if (page.frames().size() < PAGE) {
                out.writeTo(c);
                return;
            }
        }
    }

    /**
     * A client behind the ring: one page from the log, then back to {@link #pump}. Log pages are read
     * on the stream's one reader thread, one at a time, so lagging clients never hold more than one
     * of the store's few connections (a poll's commit needs one too); clients lagging at the same
     * position (all of them after a restart) share one read.
     */
    private void readFromLog(Client c) {
        c.reading = true;
        long from = c.position;
        try {
            reader.execute(() -> {
                EventRing.Page page;
                try {
                    page = logPage(new PageKey(from, c.source, c.type));
                } catch (RuntimeException e) {
                    c.context.runOnContext(v -> {
                        c.reading = false;
                        drop(c, "the event log could not be read; reconnect with Last-Event-ID to resume");
                    });
                    return;
                }
                c.context.runOnContext(v -> {
                    c.reading = false;
                    if (page == null) {
                        drop(c, "events after position " + from + " are no longer kept; take a new snapshot from /api/presence");
                    } else {
                        Batch out = new Batch();
                        out.addAll(page.frames());
                        c.position = page.coveredUpTo();
                        out.writeTo(c);
                        pump(c);
                    }
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            c.reading = false;
            drop(c, "the router is stopping; reconnect with Last-Event-ID to resume");
        }
    }

    /** What a log page is read for. */
    private record PageKey(long after, String source, String type) {
    }

    /** The last page read from the log and what for (reader thread only; forgotten at the next commit). */
    private PageKey lastKey;
    private EventRing.Page lastPage;

    /** Events after a position from the log, encoded (null when they were pruned); runs on the reader thread. */
    private EventRing.Page logPage(PageKey key) {
        if (key.equals(lastKey)) {
            return lastPage;
        }
        logPages.incrementAndGet();
        PresenceLog l = log.get();
        long head = l.headPosition();
        EventRing.Page page = null;
        if (key.after() >= l.oldestPosition() - 1) {
            List<LoggedEvent> events = l.eventsAfter(key.after(), LOG_PAGE, key.source(), key.type());
            long covered = events.size() == LOG_PAGE ? events.get(events.size() - 1).position()
                    : Math.max(key.after(), Math.max(head, events.isEmpty() ? key.after() : events.get(events.size() - 1).position()));
            page = new EventRing.Page(events.stream().map(EventStream::frame).toList(), covered);
        }
        lastKey = key;
        lastPage = page;
        return page;
    }

    private void waitForDrain(Client c) {
        if (c.fullSince == 0) {
            c.fullSince = System.nanoTime();
            c.response.drainHandler(v -> {
                c.fullSince = 0;
                pump(c);
            });
        }
    }

    private void dropSlowClients() {
        long now = System.nanoTime();
        for (Client c : clients) {
            long since = c.fullSince;
            if (since != 0 && now - since > settings.slowClient().toNanos()) {
                c.context.runOnContext(v -> drop(c, "the client did not read its events for "
                        + settings.slowClient().toSeconds() + " s; reconnect with Last-Event-ID to resume"));
            }
        }
    }

    private void heartbeat() {
        for (Client c : clients) {
            c.context.runOnContext(v -> {
                if (!c.closed && !c.response.writeQueueFull()) {
                    c.response.write(": heartbeat\n\n");
                }
            });
        }
    }

    /** Ends a stream with a final {@code dropped} event saying why; the connection closes once it is written. */
    private void drop(Client c, String reason) {
        if (c.closed) {
            return;
        }
        close(c);
        LOG.info("Event stream client {} at position {} dropped: {}", c.remote, c.position, reason);
        String data = Json.MAPPER.createObjectNode().put("reason", reason).put("position", c.position).toString();
        if (c.response.closed()) {
            return;
        }
        c.response.write("event: dropped\ndata: " + data + "\n\n");
        c.response.end().onComplete(ar -> c.connection.close());
        // a client that reads nothing never lets the final event out: close it after a grace period
        vertx.setTimer(Math.max(1000, settings.slowClient().toMillis()), id -> c.connection.close());
    }

    private void close(Client c) {
        c.closed = true;
        clients.remove(c);
    }

    /**
     * Frames gathered for one write. They are written as one Netty composite buffer over the
     * frames' own arrays: every client is sent the ring's bytes, not a copy of them (Netty copies a
     * write once into its socket buffer, as it does any heap buffer).
     */
    private static final class Batch {
        private final List<byte[]> frames = new ArrayList<>();
        private int bytes;

        void addAll(List<byte[]> more) {
            for (byte[] f : more) {
                frames.add(f);
                bytes += f.length;
            }
        }

        // Buffer.buffer(ByteBuf) is Vert.x 4's only way to write a Netty buffer without copying it (Vert.x 5 moves it to BufferInternal)
        @SuppressWarnings("deprecation")
        void writeTo(Client c) {
            if (!frames.isEmpty() && !c.closed) {
                c.response.write(Buffer.buffer(Unpooled.wrappedBuffer(frames.toArray(new byte[0][]))));
            }
        }
    }

    /** One event in SSE wire form: its log position as id, its JSON as data (one data line per JSON line). */
    static byte[] frame(LoggedEvent e) {
        StringBuilder sb = new StringBuilder(e.json().length() + 32).append("id: ").append(e.position()).append('\n');
        for (String line : e.json().split("\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        return sb.append('\n').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** One connected client: its position is only changed on its own Vert.x context. */
    private static final class Client {
        final Context context;
        final HttpServerResponse response;
        final HttpConnection connection;
        final String source;
        final String type;
        final String remote;
        /** Written on the client's context only; read by the reader thread to trim the ring. */
        volatile long position;
        boolean reading;
        volatile boolean closed;
        volatile long fullSince;

        Client(Context context, HttpServerResponse response, HttpConnection connection, long position, String source, String type,
               String remote) {
            this.context = context;
            this.response = response;
            this.connection = connection;
            this.position = position;
            this.source = source;
            this.type = type;
            this.remote = remote;
        }
    }
}
