package pbx.presence.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Common machinery of the PBX simulators: a JDK {@link HttpServer} on daemon threads, failure
 * injection, per-path request counters and a prompt {@link #stop()}.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #stop()} (or {@link #close()}). A stopped
 * simulator cannot be started again.
 */
public abstract class HttpSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSimulator.class);

    static {
        // the JDK server delays small responses ~40 ms without TCP_NODELAY; read when the first server starts
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** One request as a simulator sees it, with its headers (credentials) and body (forms, logins). */
    protected record Request(String method, String path, String query, com.sun.net.httpserver.Headers headers, byte[] body) {
        /** First value of a request header, or null. */
        public String header(String name) {
            return headers.getFirst(name);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What a simulator answers for one request; {@code headers} are extra response headers (e.g. Retry-After). */
    protected record Response(int status, String contentType, byte[] body, java.util.Map<String, String> headers) {
        public Response {
            headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
        }

        public Response(int status, String contentType, byte[] body) {
            this(status, contentType, body, java.util.Map.of());
        }

        /** The same answer with one more response header. */
        public Response withHeader(String name, String value) {
            java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, contentType, body, h);
        }

        public static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        }

        public static Response of(int status, String contentType, String body) {
            return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    protected final SimulatedPbx pbx;
    private final String displayName;
    private final String host;
    private final int requestedPort;
    private final String threadPrefix;

    private final Map<String, AtomicLong> requestCounts = new ConcurrentHashMap<>();
    private final Map<String, Failure> pathFailures = new ConcurrentHashMap<>();
    private volatile Failure failure = Failure.NONE;
    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private final AtomicInteger hangingRequests = new AtomicInteger();

    private final Object lifecycle = new Object();
    private HttpServer server;
    private ExecutorService executor;
    private volatile int port = -1;
    private volatile boolean stopped;

    protected HttpSimulator(String displayName, String threadPrefix, SimulatedPbx pbx, String host, int port) {
        this.displayName = Objects.requireNonNull(displayName, "displayName");
        this.threadPrefix = Objects.requireNonNull(threadPrefix, "threadPrefix") + "#" + INSTANCES.incrementAndGet();
        this.pbx = Objects.requireNonNull(pbx, "pbx");
        this.host = host == null || host.isBlank() ? "127.0.0.1" : host;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(displayName + ": port must be 0..65535, got " + port);
        }
        this.requestedPort = port;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when the address cannot be bound (the message says
     *         "port already in use" for that case; the cause is the {@link BindException}), or the
     *         simulator was stopped
     */
    public HttpSimulator start() {
        synchronized (lifecycle) {
            if (stopped) {
                throw new IllegalStateException(displayName + " was stopped and cannot be restarted");
            }
            if (server != null) {
                return this;
            }
            HttpServer created;
            try {
                created = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
            } catch (BindException e) {
                String why = e.getMessage() != null && e.getMessage().toLowerCase().contains("in use")
                        ? "port already in use" : String.valueOf(e.getMessage());
                throw new IllegalStateException(displayName + " cannot listen on " + host + ":" + requestedPort + ": " + why + ".", e);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(displayName + " cannot listen on " + host + ":" + requestedPort + ": " + e + ".", e);
            }
            ExecutorService pool = Executors.newCachedThreadPool(daemonThreads(threadPrefix));
            created.setExecutor(pool);
            created.createContext("/", this::handleExchange);
            // The dispatcher thread inherits daemon status from the thread that starts the server.
            try {
                startOnDaemonThread(created);
            } catch (RuntimeException e) {
                pool.shutdownNow();
                throw e;
            }
            this.server = created;
            this.executor = pool;
            this.port = created.getAddress().getPort();
            LOG.debug("{} listening on {}", displayName, baseUrl());
            return this;
        }
    }

    /** Stops promptly: releases hung handlers, closes the socket, ends the handler threads. Idempotent. */
    public void stop() {
        HttpServer s;
        ExecutorService pool;
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
            s = server;
            pool = executor;
        }
        stopLatch.countDown();
        if (s != null) {
            s.stop(0);
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.debug("{} stopped", displayName);
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return server != null && !stopped;
    }

    public String displayName() {
        return displayName;
    }

    /** Handler threads are named {@code <prefix>-<n>}; the prefix is unique per simulator instance. */
    public String threadNamePrefix() {
        return threadPrefix;
    }

    public String host() {
        return host;
    }

    /** The bound port (the ephemeral one when constructed with 0); -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    /** {@code http://host:port}, with 127.0.0.1 for a wildcard host. */
    public String baseUrl() {
        String h = host;
        if ("0.0.0.0".equals(h) || "::".equals(h) || "[::]".equals(h)) {
            h = "127.0.0.1";
        } else if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port;
    }

    public SimulatedPbx pbx() {
        return pbx;
    }

    // ---- failure injection -------------------------------------------------------------------

    /** Failure for every path (unless a path-specific one is set). */
    public void setFailure(Failure f) {
        this.failure = f == null ? Failure.NONE : f;
    }

    /** Failure only for request paths starting with {@code pathPrefix}; the longest matching prefix wins over the global failure. */
    public void setFailure(String pathPrefix, Failure f) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        if (f == null || f == Failure.NONE) {
            pathFailures.remove(pathPrefix);
        } else {
            pathFailures.put(pathPrefix, f);
        }
    }

    /** Back to normal answers everywhere. */
    public void clearFailures() {
        pathFailures.clear();
        failure = Failure.NONE;
    }

    public Failure failure() {
        return failure;
    }

    /** The failure that applies to a request path. */
    public Failure failureFor(String path) {
        String best = null;
        for (String prefix : pathFailures.keySet()) {
            if (path.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        Failure f = best == null ? null : pathFailures.get(best);
        return f == null ? failure : f;
    }

    /** Requests currently held by {@link Failure#HANG}. */
    public int hangingRequests() {
        return hangingRequests.get();
    }

    // ---- request counters --------------------------------------------------------------------

    /** Requests received for exactly this (decoded) path, e.g. {@code /showstatus/201}, failed ones included. */
    public long requestCount(String path) {
        AtomicLong c = requestCounts.get(path);
        return c == null ? 0 : c.get();
    }

    /** Requests received for paths starting with {@code prefix}. */
    public long requestCountWithPrefix(String prefix) {
        return requestCounts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().get())
                .sum();
    }

    public long totalRequestCount() {
        return requestCounts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Snapshot path → count, ordered by path. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new TreeMap<>();
        requestCounts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public void resetRequestCounts() {
        requestCounts.clear();
    }

    // ---- for subclasses ----------------------------------------------------------------------

    /**
     * The normal answer for a request. Simulators that need headers or the body (authentication,
     * token forms) override this; the others override {@link #respond(String, String, String)}.
     */
    protected Response respond(Request request) {
        return respond(request.method(), request.path(), request.query());
    }

    /** The normal answer for a request, from its method, path and raw query. */
    protected Response respond(String method, String path, String query) {
        throw new UnsupportedOperationException(displayName + " overrides neither respond method");
    }

    /** The {@link Failure#GARBAGE} answer for a request. */
    protected abstract Response garbage(String path);

    /** The {@link Failure#HTTP_500} answer for a request. */
    protected abstract Response serverError(String path);

    // ---- internals ---------------------------------------------------------------------------

    private void handleExchange(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        requestCounts.computeIfAbsent(path, k -> new AtomicLong()).incrementAndGet();
        try {
            Failure f = failureFor(path);
            switch (f) {
                case HANG -> hang();
                case HTTP_500 -> send(exchange, serverError(path));
                case GARBAGE -> send(exchange, garbage(path));
                case TRUNCATED -> {
                    Response r = respond(request(exchange, path));
                    send(exchange, new Response(r.status(), r.contentType(), Arrays.copyOf(r.body(), r.body().length / 2), r.headers()));
                }
                default -> send(exchange, respond(request(exchange, path)));
            }
        } catch (IOException e) {
            LOG.debug("{}: client went away on {}: {}", displayName, path, e.toString());
        } catch (RuntimeException e) {
            LOG.warn("{}: error answering {}", displayName, path, e);
            try {
                send(exchange, Response.text(500, "simulator error: " + e));
            } catch (IOException | RuntimeException ignored) {
                // response may already be committed
            }
        } finally {
            exchange.close();
        }
    }

    private void hang() {
        hangingRequests.incrementAndGet();
        try {
            stopLatch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            hangingRequests.decrementAndGet();
        }
    }

    private static Request request(HttpExchange exchange, String path) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        return new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body);
    }

    private static void send(HttpExchange exchange, Response r) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean noBody = r.body().length == 0 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(r.status(), noBody ? -1 : r.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(r.body());
            }
        }
    }

    private static void startOnDaemonThread(HttpServer s) {
        RuntimeException[] failure = new RuntimeException[1];
        Thread starter = new Thread(() -> {
            try {
                s.start();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "simulator-starter");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.stop(0);
            throw new IllegalStateException("interrupted while starting simulator", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
