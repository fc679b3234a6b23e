package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.PollException;
import pbx.presence.connector.http.OAuth2ClientCredentials;
import pbx.presence.connector.http.Token;
import pbx.presence.connector.http.TokenCache;
import pbx.presence.connector.http.VendorHttp;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Fetches one complete snapshot of a Telphin-style cloud PBX client (VENDORS.md §5) through the
 * shared {@link VendorHttp} (timeouts, body limit, 401 refresh-and-retry once, 429 Retry-After) and
 * {@link TokenCache} (OAuth 2 client credentials, {@code POST /oauth/token}):
 * <ol>
 *   <li>{@code GET /api/ver1.0/client/{client_id}/extension/call_status/}: the client's statuses;</li>
 *   <li>{@code GET /api/ver1.0/client/{client_id}/extension/?type=phone&page=N&per_page=S}, N = 1, 2, …
 *       until the list ends (see below);</li>
 *   <li>optionally {@code GET /api/ver1.0/client/{client_id}/current_calls/};</li>
 *   <li>optionally, for every active extension, its registration (ASSUMED path, default
 *       {@value #DEFAULT_REGISTRATION_PATH}), at most {@code registrationConcurrency} at a time.</li>
 * </ol>
 * The sequential requests come first, so a token the server no longer accepts is refreshed once, by
 * the first request, before the concurrent ones start.
 *
 * <p><b>End of the list.</b> The list ends at an empty page, at the total when the server sends one,
 * or at a page shorter than the pages before it. A first page shorter than {@code per_page} is not
 * trusted to be the last one (the server may cap {@code per_page} lower than asked): one more page
 * decides. A page that repeats the previous one in full is the server ignoring {@code page}: after a
 * short page that means the list was complete, after a full page the poll fails, as it does when a
 * page repeats part of an earlier one or the list runs past {@code maxPages}.
 *
 * <p>Every failure is a {@link PollException} naming the request, e.g.
 * {@code "GET /api/ver1.0/client/@me/extension/?type=phone&page=2&per_page=100: HTTP 500: Internal error"};
 * credentials and tokens never appear in messages, logs or {@link #toString()}. {@link #fetch()} keeps
 * no state between polls except the cached token.
 */
public final class TelphinFetcher implements AutoCloseable {

    public static final String API = "/api/ver1.0/";
    public static final String TOKEN_PATH = "/oauth/token";
    public static final String DEFAULT_ACCOUNT = "@me";
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int DEFAULT_MAX_PAGES = 1000;
    /** ASSUMED registration path, relative to {@value #API}; {id} is the extension id, {client_id} the account. */
    public static final String DEFAULT_REGISTRATION_PATH = "extension/{id}/registration/";
    public static final int DEFAULT_REGISTRATION_CONCURRENCY = 8;
    /** Token lifetime when the server's answer has no expires_in (Telphin sends 3600). */
    static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);

    private static final AtomicInteger POOLS = new AtomicInteger();

    /**
     * Everything but the credentials (so it can be logged).
     *
     * @param baseUrl                 the API host, e.g. {@code https://apiproxy.telphin.ru} (a trailing {@code /api/ver1.0/} is ignored)
     * @param accountId               the {client_id} path segment: {@code @me} or the client's numeric id
     * @param registrationPath        null = do not poll registration (it stays UNKNOWN)
     * @param currentCalls            poll {@code current_calls/} for line state (else it stays UNKNOWN)
     * @param trustCertificates       a PEM file of the CA certificates to trust, or null for the JVM's
     */
    public record Settings(String baseUrl, String accountId, int pageSize, int maxPages, Duration timeout,
                           long maxBodyBytes, boolean insecureTls, String registrationPath,
                           int registrationConcurrency, boolean currentCalls, String trustCertificates) {

        public Settings(String baseUrl, String accountId, int pageSize, int maxPages, Duration timeout, long maxBodyBytes,
                        boolean insecureTls, String registrationPath, int registrationConcurrency, boolean currentCalls) {
            this(baseUrl, accountId, pageSize, maxPages, timeout, maxBodyBytes, insecureTls, registrationPath,
                    registrationConcurrency, currentCalls, null);
        }

        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            accountId = accountId == null || accountId.isBlank() ? DEFAULT_ACCOUNT : accountId.strip();
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize must be at least 1, was " + pageSize);
            }
            if (maxPages < 1) {
                throw new IllegalArgumentException("maxPages must be at least 1, was " + maxPages);
            }
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
            }
            if (registrationPath != null && !registrationPath.contains("{id}")) {
                throw new IllegalArgumentException("registrationPath must contain {id} (the extension id), was '" + registrationPath + "'");
            }
            if (registrationConcurrency < 1) {
                throw new IllegalArgumentException("registrationConcurrency must be at least 1, was " + registrationConcurrency);
            }
        }

        /** Defaults for everything but the base URL. */
        public static Settings defaults(String baseUrl) {
            return new Settings(baseUrl, DEFAULT_ACCOUNT, DEFAULT_PAGE_SIZE, DEFAULT_MAX_PAGES, Duration.ofSeconds(5),
                    64L * 1024 * 1024, false, DEFAULT_REGISTRATION_PATH, DEFAULT_REGISTRATION_CONCURRENCY, true);
        }
    }

    private final Settings settings;
    private final String clientId;
    private final VendorHttp http;
    private final ExecutorService registrationPool;
    private volatile boolean closed;

    public TelphinFetcher(Settings settings, String clientId, String clientSecret, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clientId = clientId;
        Duration t = settings.timeout();
        VendorHttp.Settings hs = new VendorHttp.Settings(t, t, settings.maxBodyBytes(),
                VendorHttp.Settings.defaults().maxRetryAfter(), !settings.insecureTls(), settings.trustCertificates());
        // the issuer needs the client VendorHttp builds, and VendorHttp needs the cache: tie the knot lazily
        AtomicReference<Supplier<Token>> issuer = new AtomicReference<>();
        TokenCache tokens = new TokenCache(() -> issuer.get().get(), clock);
        this.http = new VendorHttp(apiHost(settings.baseUrl()), hs, tokens, clock);
        try {
            issuer.set(new OAuth2ClientCredentials(http.client(), http.resolve(TOKEN_PATH), clientId, clientSecret,
                    t, DEFAULT_TOKEN_LIFETIME));
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        // at most registrationConcurrency requests at once; idle threads end, so a quiet source costs none
        ThreadPoolExecutor executor = new ThreadPoolExecutor(settings.registrationConcurrency(), settings.registrationConcurrency(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread th = new Thread(r, "telphin-registration-" + pool + "-" + n.incrementAndGet());
                    th.setDaemon(true);
                    return th;
                });
        executor.allowCoreThreadTimeOut(true);
        this.registrationPool = executor;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * One complete snapshot.
     *
     * @throws PollException when a request fails or a body is unusable; the message names the request
     * @throws IllegalStateException after {@link #close()}
     */
    public TelphinPayload fetch() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        String statusesPath = clientPath("extension/call_status/");
        JsonNode statuses = getJson(statusesPath, "statuses", true);
        List<Extension> extensions = new ArrayList<>();
        List<JsonNode> pages = pages(extensions);
        JsonNode calls = settings.currentCalls() ? getJson(clientPath("current_calls/"), "current calls", true) : null;
        Map<String, JsonNode> registrations = settings.registrationPath() == null ? Map.of() : registrations(extensions);
        return new TelphinPayload(statuses, pages, registrations, calls);
    }

    /** What the fetcher needs to know of an extension: its id and whether it is active. */
    private record Extension(String id, boolean active) {
    }

    private List<JsonNode> pages(List<Extension> extensions) {
        List<JsonNode> pages = new ArrayList<>();
        Map<String, Integer> pageOfId = new HashMap<>();
        List<String> previousIds = List.of();
        int largest = 0;
        long collected = 0;
        for (int page = 1; ; page++) {
            String path = clientPath("extension/") + "?type=phone&page=" + page + "&per_page=" + settings.pageSize();
            if (page > settings.maxPages()) {
                throw new PollException("GET " + path + ": the extension list did not end within maxPages=" + settings.maxPages()
                        + " pages of " + settings.pageSize() + " (a server that never ends the list, or raise maxPages)");
            }
            JsonNode root = getJson(path, "extension page " + page, true);
            TelphinPage p;
            try {
                p = TelphinPage.read(root, "extension page " + page);
            } catch (PayloadException e) {
                throw new PollException("GET " + path + ": " + e.getMessage(), e);
            }
            List<String> ids = new ArrayList<>(p.items().size());
            for (JsonNode item : p.items()) {
                String id = TelphinJson.id(item.get("id"));
                if (id != null) {
                    ids.add(id);
                }
            }
            int n = p.items().size();
            if (n > 0 && ids.equals(previousIds)) {
                if (previousIds.size() < settings.pageSize()) {
                    break; // the server ignores paging and sent the whole (short) list again: it was complete
                }
                throw new PollException("GET " + path + ": page " + page + " repeats page " + (page - 1)
                        + " (the server ignores the page parameter, so the list cannot be read completely)");
            }
            for (String id : ids) {
                Integer earlier = pageOfId.putIfAbsent(id, page);
                if (earlier != null) {
                    throw new PollException("GET " + path + ": page " + page + " repeats extension id " + id
                            + " of page " + earlier + " (the list changed or the server pages inconsistently)");
                }
            }
            pages.add(root);
            for (JsonNode item : p.items()) {
                String id = TelphinJson.id(item.get("id"));
                String type = LenientJson.text(item.get("type"));
                boolean phone = type == null || type.isEmpty() || type.equalsIgnoreCase("phone");
                String status = LenientJson.text(item.get("status"));
                if (id != null && phone) {
                    extensions.add(new Extension(id, status == null || !status.toLowerCase(Locale.ROOT).equals("blocked")));
                }
            }
            collected += n;
            previousIds = ids;
            if (n == 0 || (p.total() != null && collected >= p.total()) || n < largest) {
                break;
            }
            largest = Math.max(largest, n);
            // n >= per_page: more may follow; a short first page may be the server's own cap: ask once more
        }
        return pages;
    }

    private Map<String, JsonNode> registrations(List<Extension> extensions) {
        List<String> ids = extensions.stream().filter(Extension::active).map(Extension::id).toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, JsonNode> out = new ConcurrentHashMap<>();
        ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(registrationPool);
        List<Future<Void>> futures = new ArrayList<>(ids.size());
        try {
            for (String id : ids) {
                String path = API + settings.registrationPath()
                        .replace("{id}", segment(id))
                        .replace("{client_id}", segment(settings.accountId()));
                futures.add(done.submit(() -> {
                    JsonNode body = getJson(path, "registration of extension id " + id, false);
                    if (body != null) {
                        out.put(id, body);
                    }
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                done.take().get();
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof PollException p ? p
                    : new PollException("registration requests failed: " + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PollException("registration requests interrupted");
        } catch (CancellationException e) {
            throw new PollException("registration requests cancelled");
        } finally {
            // first failure (or interruption): stop the rest, in flight or queued
            futures.forEach(f -> f.cancel(true));
        }
        // keep the order of the extension list, for readable payloads
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        for (String id : ids) {
            JsonNode n = out.get(id);
            if (n != null) {
                ordered.put(id, n);
            }
        }
        return ordered;
    }

    /**
     * GETs and parses one body. A 204 is an empty list when {@code list}, otherwise null.
     */
    private JsonNode getJson(String path, String what, boolean list) {
        VendorHttp.Response r = http.get(path);
        if (r.status() == 204 || (r.body().length == 0 && list)) {
            return list ? JsonNodeFactory.instance.arrayNode() : null;
        }
        try {
            return LenientJson.parse(r.body(), what);
        } catch (PayloadException e) {
            throw new PollException("GET " + path + ": " + e.getMessage(), e);
        }
    }

    private String clientPath(String rest) {
        return API + "client/" + segment(settings.accountId()) + "/" + rest;
    }

    /** Percent-encodes a path segment, keeping what Telphin ids and "@me" use literally. */
    static String segment(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (c & 0xff);
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || ch == '@' || ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '*') {
                b.append(ch);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    /** The host part of the base URL: a pasted {@code …/api/ver1.0/} is cut off. */
    static String apiHost(String baseUrl) {
        String b = baseUrl.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        if (b.endsWith("/api/ver1.0")) {
            b = b.substring(0, b.length() - "/api/ver1.0".length());
        }
        return b;
    }

    @Override
    public void close() {
        closed = true;
        registrationPool.shutdownNow();
        http.close();
    }

    @Override
    public String toString() {
        return "TelphinFetcher[" + apiHost(settings.baseUrl()) + ", client_id " + settings.accountId()
                + ", OAuth client " + clientId + ", secret redacted]";
    }
}
