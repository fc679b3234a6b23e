package pbx.presence.connector.threecx;

import pbx.presence.connector.http.LimitedBody;
import pbx.presence.connector.http.VendorHttp;

import pbx.presence.connector.PollException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Fetches one poll of the 3CX HTTP API wrapper (seed 002): {@code GET /showallcalls} once, and
 * {@code GET /showstatus/{ext}} and {@code GET /dnregs/{ext}} for every configured extension.
 *
 * <p>Built on the shared {@link VendorHttp} client (its TLS options, connect timeout, per-request
 * timeout and body limit) rather than camel-http because one poll fans out to 1 + 2N
 * requests that must run concurrently (bounded, default {@value #DEFAULT_MAX_CONCURRENCY} at a time)
 * and succeed or fail together under one hard deadline: the wrapper writes no response at all on
 * internal errors, so every request needs its own timeout and the poll as a whole needs one too,
 * and the first failure must cancel the rest. A Camel route would need a split, an aggregation
 * and per-request timeouts to say the same thing, and would still not give a single deadline.
 *
 * <p>Timeouts: the client's connect timeout and each request's timeout are the request timeout,
 * and a guard cancels a request whose complete answer (headers and body) has not arrived within
 * it. The poll deadline (default three request timeouts) bounds the whole fetch. Any non-200
 * answer, timeout or connection failure throws {@link PollException} naming the path, e.g.
 * {@code "GET /showstatus/201: timed out after 2000 ms"}, {@code "GET /showallcalls: HTTP 500"},
 * {@code "GET /dnregs/201: connection to 10.0.0.5:8080 failed (ConnectException)"} or
 * {@code "GET /dnregs/202: no answer within the poll deadline of 6000 ms"}.
 *
 * <p>Threads: the client runs on its cached pool of daemon threads that idle out, so nothing keeps
 * the JVM alive; the answers' callbacks run there and start the next requests; {@link #close()}
 * shuts the pool down. {@link #fetch()} keeps no state between
 * calls and may be called repeatedly (and concurrently) from timer threads.
 */
public final class ThreeCxHttpFetcher implements AutoCloseable {

    public static final int DEFAULT_MAX_CONCURRENCY = 8;
    /** The wrapper answers a few lines per call; anything bigger than this is not the wrapper talking. */
    public static final long MAX_BODY_BYTES = 4L * 1024 * 1024;
    /** The default poll deadline is this many request timeouts. */
    public static final int DEFAULT_DEADLINE_FACTOR = 3;

    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final String ACCEPT = "text/plain, text/html, */*";

    private final String baseUrl;
    /** host:port of the wrapper, for messages (never the user-info part of the URL). */
    private final String hostPort;
    private final List<String> extensions;
    private final Duration requestTimeout;
    private final Duration pollDeadline;
    private final int maxConcurrency;
    private final VendorHttp http;
    private volatile boolean closed;

    /**
     * @param baseUrl the wrapper's address, e.g. {@code http://10.0.0.5:8080} (a trailing '/' is ignored)
     * @param extensions the extensions to poll, in the order the records should come out
     * @param timeout connect and per-request timeout; the poll deadline is three of them
     */
    public ThreeCxHttpFetcher(String baseUrl, List<String> extensions, Duration timeout) {
        this(baseUrl, extensions, timeout, Objects.requireNonNull(timeout, "timeout").multipliedBy(DEFAULT_DEADLINE_FACTOR),
                DEFAULT_MAX_CONCURRENCY);
    }

    /**
     * @param requestTimeout connect and per-request timeout
     * @param pollDeadline bound on one whole {@link #fetch()}
     * @param maxConcurrency requests in flight at once, at least 1
     */
    public ThreeCxHttpFetcher(String baseUrl, List<String> extensions, Duration requestTimeout, Duration pollDeadline,
                              int maxConcurrency) {
        this(baseUrl, extensions, VendorHttp.Settings.defaults().withTimeout(positive("requestTimeout", requestTimeout)),
                pollDeadline, maxConcurrency);
    }

    /**
     * @param settings the client's TLS options and timeouts (connect and per-request); the body limit
     *        is at most {@link #MAX_BODY_BYTES}
     * @param pollDeadline bound on one whole {@link #fetch()}
     * @param maxConcurrency requests in flight at once, at least 1
     */
    public ThreeCxHttpFetcher(String baseUrl, List<String> extensions, VendorHttp.Settings settings, Duration pollDeadline,
                              int maxConcurrency) {
        Duration requestTimeout = settings.requestTimeout();
        this.baseUrl = base(baseUrl);
        URI uri = URI.create(this.baseUrl);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        this.hostPort = uri.getHost() + ":" + port;
        this.extensions = checkedExtensions(extensions);
        this.requestTimeout = positive("requestTimeout", requestTimeout);
        this.pollDeadline = positive("pollDeadline", pollDeadline);
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be at least 1, was " + maxConcurrency);
        }
        this.maxConcurrency = maxConcurrency;
        VendorHttp.Settings limited = new VendorHttp.Settings(settings.connectTimeout(), requestTimeout,
                Math.min(settings.maxBodyBytes(), MAX_BODY_BYTES), settings.maxRetryAfter(), settings.verifyTls(),
                settings.trustCertificates());
        this.http = new VendorHttp(this.baseUrl, limited, null, Clock.systemUTC(),
                "3cx-http-fetcher-" + POOLS.incrementAndGet() + "-");
    }

    public List<String> extensions() {
        return extensions;
    }

    /**
     * Runs one poll.
     *
     * @throws PollException when any request fails, times out or the poll deadline passes
     * @throws IllegalStateException after {@link #close()}
     */
    public ThreeCxHttpPayload fetch() {
        if (closed) {
            throw new IllegalStateException("3CX HTTP fetcher for " + hostPort + " is closed");
        }
        List<String> paths = new ArrayList<>(1 + 2 * extensions.size());
        paths.add("/showallcalls");
        for (String ext : extensions) {
            paths.add("/showstatus/" + ext);
            paths.add("/dnregs/" + ext);
        }
        Poll poll = new Poll(paths);
        poll.start();
        long deadlineMs = pollDeadline.toMillis();
        try {
            poll.done.get(deadlineMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String open = poll.firstOpenPath();
            poll.fail(new PollException("GET " + open + ": no answer within the poll deadline of " + deadlineMs + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            poll.fail(new PollException("GET " + poll.firstOpenPath() + ": interrupted", e));
        } catch (ExecutionException e) {
            // reported below
        }
        if (poll.failure != null) {
            throw poll.failure;
        }
        Map<String, String> status = new LinkedHashMap<>();
        Map<String, String> regs = new LinkedHashMap<>();
        for (int i = 0; i < extensions.size(); i++) {
            status.put(extensions.get(i), poll.bodies.get(1 + 2 * i));
            regs.put(extensions.get(i), poll.bodies.get(2 + 2 * i));
        }
        return new ThreeCxHttpPayload(poll.bodies.get(0), status, regs);
    }

    /** Shuts the client's threads down; later {@link #fetch()} calls throw IllegalStateException. */
    @Override
    public void close() {
        closed = true;
        http.close();
    }

    @Override
    public String toString() {
        return "ThreeCxHttpFetcher[" + hostPort + ", " + extensions.size() + " extensions]";
    }

    /** The state of one fetch: requests are started as earlier ones finish, at most maxConcurrency at once. */
    private final class Poll {
        final List<String> paths;
        final AtomicReferenceArray<String> bodies;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
        volatile PollException failure;

        Poll(List<String> paths) {
            this.paths = paths;
            this.bodies = new AtomicReferenceArray<>(paths.size());
            this.remaining = new AtomicInteger(paths.size());
        }

        void start() {
            for (int k = 0; k < Math.min(maxConcurrency, paths.size()); k++) {
                launchNext();
            }
        }

        void launchNext() {
            if (done.isDone()) {
                return;
            }
            int i = next.getAndIncrement();
            if (i >= paths.size()) {
                return;
            }
            String path = paths.get(i);
            CompletableFuture<HttpResponse<byte[]>> exchange;
            try {
                exchange = http.getAsync(encode(path), ACCEPT);
            } catch (RuntimeException e) {
                fail(new PollException("GET " + path + ": " + describe(e), e));
                return;
            }
            inFlight.add(exchange);
            exchange.copy()
                    .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((response, error) -> {
                        inFlight.remove(exchange);
                        if (error != null) {
                            exchange.cancel(true);
                            fail(new PollException("GET " + path + ": " + describe(error), unwrap(error)));
                        } else if (response.statusCode() != 200) {
                            fail(new PollException("GET " + path + ": HTTP " + response.statusCode()));
                        } else {
                            bodies.set(i, response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8));
                            if (remaining.decrementAndGet() == 0) {
                                done.complete(null);
                            } else {
                                launchNext();
                            }
                        }
                    });
        }

        void fail(PollException e) {
            synchronized (this) {
                if (failure == null) {
                    failure = e;
                }
            }
            done.completeExceptionally(e);
            for (CompletableFuture<?> f : inFlight) {
                f.cancel(true);
            }
        }

        /** The first request that was started and has no answer yet (for deadline messages). */
        String firstOpenPath() {
            int started = Math.min(next.get(), paths.size());
            for (int i = 0; i < started; i++) {
                if (bodies.get(i) == null) {
                    return paths.get(i);
                }
            }
            return started < paths.size() ? paths.get(started) : paths.get(paths.size() - 1);
        }
    }

    private String describe(Throwable error) {
        Throwable t = unwrap(error);
        long ms = requestTimeout.toMillis();
        if (t instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + ms + " ms";
        }
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return "timed out after " + ms + " ms";
        }
        if (t instanceof CancellationException) {
            return "cancelled";
        }
        if (t instanceof LimitedBody.TooLarge) {
            return t.getMessage();
        }
        if (t instanceof ConnectException || t instanceof ClosedChannelException) {
            return "connection to " + hostPort + " failed (" + message(t) + ")";
        }
        if (t instanceof IOException) {
            return "I/O error (" + message(t) + ")";
        }
        return t.getClass().getSimpleName() + " (" + message(t) + ")";
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The first message in the cause chain, else the exception's own class name (the JDK 17 client
     * reports a refused connection as a ConnectException without any message).
     */
    private static String message(Throwable t) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return c.getMessage().strip();
            }
        }
        return t.getClass().getSimpleName();
    }

    /** Percent-encodes each path segment (extensions are numbers, but config is config). */
    private static String encode(String path) {
        StringBuilder b = new StringBuilder();
        for (String segment : path.substring(1).split("/", -1)) {
            b.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.toString();
    }

    private static String base(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String b = baseUrl.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("3CX HTTP base URL '" + baseUrl + "' is not a URL: " + e.getMessage(), e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("3CX HTTP base URL '" + baseUrl
                    + "' must be http://host:port or https://host:port");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("3CX HTTP base URL '" + baseUrl + "' must not have a query or fragment");
        }
        return b;
    }

    private static List<String> checkedExtensions(List<String> extensions) {
        Objects.requireNonNull(extensions, "extensions");
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>(extensions.size());
        for (String e : extensions) {
            if (e == null || e.isBlank()) {
                throw new IllegalArgumentException("3CX HTTP extensions must not contain blank entries: " + extensions);
            }
            String ext = e.strip();
            if (ext.contains("/")) {
                throw new IllegalArgumentException("3CX HTTP extension '" + ext + "' must not contain '/'");
            }
            if (!seen.add(ext)) {
                throw new IllegalArgumentException("3CX HTTP extension " + ext + " is listed twice");
            }
            out.add(ext);
        }
        return List.copyOf(out);
    }

    private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, was " + d);
        }
        return d;
    }
}
