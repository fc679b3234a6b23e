package pbx.presence.connector.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.delivery.RetryAfter;
import pbx.presence.connector.PollException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client every polling connector shares: hard connect and whole-response timeouts (a
 * stalled body counts too), a body size limit, the credential from a {@link TokenCache} with one
 * refresh-and-retry on 401, one wait-and-retry on 429 honouring {@code Retry-After} (up to a limit),
 * and errors that name the method, path and the vendor's own message, never a credential.
 *
 * <p>Hand-written rather than camel-http because a poll is several calls (token, pages) that must
 * succeed or fail together as one snapshot within one deadline, and camel-http's OAuth 2 interceptor
 * caches a token but never drops one the vendor rejects, and cannot do a login-style token
 * (TelecomX). Camel still schedules, routes and handles the poll's outcome.
 */
public final class VendorHttp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VendorHttp.class);

    /**
     * @param connectTimeout TCP connect timeout
     * @param requestTimeout time for one whole response, headers and body
     * @param maxBodyBytes larger bodies fail the poll
     * @param maxRetryAfter the longest 429 {@code Retry-After} waited out inside a poll
     * @param verifyTls false trusts any certificate (a per-source opt-out, logged as a warning)
     * @param trustCertificates a PEM file of the CA certificates that sign this vendor's certificate
     *        (a company CA), trusted instead of the JVM's; null or blank for the JVM's trust store
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, long maxBodyBytes,
                           Duration maxRetryAfter, boolean verifyTls, String trustCertificates) {

        /** Default body limit: a read holds about one body (see {@link LimitedBody}); size the heap for it. */
        public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

        public Settings(Duration connectTimeout, Duration requestTimeout, long maxBodyBytes, Duration maxRetryAfter,
                        boolean verifyTls) {
            this(connectTimeout, requestTimeout, maxBodyBytes, maxRetryAfter, verifyTls, null);
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(3), Duration.ofSeconds(10), DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(30), true);
        }

        /** The same settings with these timeouts (connect and whole response). */
        public Settings withTimeout(Duration timeout) {
            return new Settings(timeout, timeout, maxBodyBytes, maxRetryAfter, verifyTls, trustCertificates);
        }
    }

    /** A 2xx answer: status (200, 204 …) and body. */
    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int ERROR_TEXT_BYTES = 64 * 1024;

    private final URI base;
    private final Settings settings;
    private final TokenCache tokens;
    private final Clock clock;
    private final ExecutorService executor;
    private final HttpClient client;

    /** @param tokens null for vendors without authentication */
    public VendorHttp(String baseUrl, Settings settings, TokenCache tokens, Clock clock) {
        this(baseUrl, settings, tokens, clock, "vendor-http-");
    }

    /** @param threadPrefix names the client's daemon threads (prefix + host + number) */
    public VendorHttp(String baseUrl, Settings settings, TokenCache tokens, Clock clock, String threadPrefix) {
        this.base = baseUri(baseUrl);
        this.settings = settings;
        this.tokens = tokens;
        this.clock = clock;
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadPrefix + base.getHost() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).executor(executor);
        if (!settings.verifyTls()) {
            LOG.warn("TLS certificate verification is OFF for {}: any certificate is accepted. Use only for a lab PBX;"
                    + " for a company CA set trustCertificates instead.", base);
            b.sslContext(trustAll());
        } else if (settings.trustCertificates() != null && !settings.trustCertificates().isBlank()) {
            b.sslContext(PemTrust.context(settings.trustCertificates().strip()));
        }
        this.client = b.build();
    }

    /**
     * A client authenticated with OAuth 2 client credentials at {@code tokenPath} of the same host:
     * the token issuer uses this client's own timeouts and TLS settings, and its tokens live in a
     * {@link TokenCache}. (The issuer needs the client and the client needs the cache; this ties that
     * knot once for every OAuth 2 connector.)
     *
     * @param defaultTokenLifetime used when the token response has no {@code expires_in}
     */
    public static VendorHttp withOAuth2(String baseUrl, String tokenPath, String clientId, String clientSecret,
                                        Settings settings, Duration defaultTokenLifetime, Clock clock) {
        java.util.concurrent.atomic.AtomicReference<OAuth2ClientCredentials> issuer = new java.util.concurrent.atomic.AtomicReference<>();
        VendorHttp http = new VendorHttp(baseUrl, settings, new TokenCache(() -> issuer.get().get(), clock), clock);
        try {
            issuer.set(new OAuth2ClientCredentials(http.client(), http.resolve(tokenPath), clientId, clientSecret,
                    settings.requestTimeout(), defaultTokenLifetime));
        } catch (RuntimeException e) {
            http.close();
            throw e;
        }
        return http;
    }

    /** A client with the same timeouts, for token issuers. */
    public HttpClient client() {
        return client;
    }

    public URI resolve(String pathAndQuery) {
        return URI.create(base.toString().replaceAll("/+$", "") + (pathAndQuery.startsWith("/") ? "" : "/") + pathAndQuery);
    }

    /** GET a path (with query) relative to the base URL; see the class comment for what it handles. */
    public Response get(String pathAndQuery) {
        return exchange("GET", pathAndQuery, null, null);
    }

    /** POST a body (e.g. a login) relative to the base URL, without the cached credential. */
    public Response postUnauthenticated(String path, String contentType, String body) {
        return exchange("POST", path, contentType, body);
    }

    private Response exchange(String method, String pathAndQuery, String contentType, String body) {
        URI uri = resolve(pathAndQuery);
        String where = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        boolean authenticated = tokens != null && body == null;
        boolean refreshed = false;
        boolean waited = false;
        while (true) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout()).header("Accept", "application/json");
            if (body != null) {
                rb.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            Token sent = null;
            if (authenticated) {
                sent = tokens.get();
                rb.header(sent.headerName(), sent.headerValue());
            }
            HttpResponse<byte[]> r = sendLimited(rb.build(), where);
            int status = r.statusCode();
            if (status / 100 == 2) {
                return new Response(status, r.body());
            }
            String vendorText = ErrorBodies.summary(errorText(r.body()));
            if (status == 401 && authenticated && !refreshed) {
                tokens.invalidate(sent);
                refreshed = true;
                continue;
            }
            if (status == 429 && !waited) {
                String header = r.headers().firstValue("Retry-After").orElse(null);
                var wait = RetryAfter.parse(header, clock.instant(), Duration.ofDays(1)).orElse(Duration.ofSeconds(1));
                if (wait.compareTo(settings.maxRetryAfter()) <= 0) {
                    LOG.info("{} answered 429: waiting {} ms as Retry-After asks, then trying once more", where, wait.toMillis());
                    pause(wait, where);
                    waited = true;
                    continue;
                }
                throw new PollException(where + ": HTTP 429, rate limited for " + wait.toSeconds() + " s (longer than the "
                        + settings.maxRetryAfter().toSeconds() + " s a poll waits)" + suffix(vendorText));
            }
            throw new PollException(where + ": HTTP " + status + (status == 401 && refreshed ? " even with a fresh token" : "")
                    + suffix(vendorText));
        }
    }

    /** The start of an error body as text: enough for a message, never a copy of a huge body. */
    private static String errorText(byte[] body) {
        return new String(body, 0, Math.min(body.length, ERROR_TEXT_BYTES), StandardCharsets.UTF_8);
    }

    /**
     * Starts one GET without retries, for a connector that fans out requests itself (3CX HTTP): the
     * same client, TLS, timeouts and body limit; the caller words the failures.
     *
     * @param accept the Accept header
     */
    public CompletableFuture<HttpResponse<byte[]>> getAsync(String pathAndQuery, String accept) {
        HttpRequest request = HttpRequest.newBuilder(resolve(pathAndQuery)).timeout(settings.requestTimeout())
                .header("Accept", accept).GET().build();
        return client.sendAsync(request, LimitedBody.handler(settings.maxBodyBytes()));
    }

    /** Runs blocking work (such as a {@link #get}) on this client's own threads, for a connector that asks for pages ahead. */
    public <T> CompletableFuture<T> async(java.util.function.Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }

    private HttpResponse<byte[]> sendLimited(HttpRequest request, String where) {
        CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(request, LimitedBody.handler(settings.maxBodyBytes()));
        long limitMs = settings.requestTimeout().toMillis();
        try {
            return f.get(limitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new PollException(where + ": timed out after " + limitMs + " ms");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new PollException(where + ": interrupted");
        } catch (ExecutionException e) {
            throw failure(where, e.getCause(), limitMs);
        }
    }

    /** Sends one request with the same failure wording, for token issuers. */
    static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, String where, Duration timeout,
                                    HttpResponse.BodyHandler<T> handler) {
        try {
            return client.sendAsync(request, handler).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PollException(where + ": timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PollException(where + ": interrupted");
        } catch (ExecutionException e) {
            throw failure(where, e.getCause(), timeout.toMillis());
        }
    }

    private static PollException failure(String where, Throwable cause, long limitMs) {
        if (cause instanceof LimitedBody.TooLarge b) {
            return new PollException(where + ": " + b.getMessage());
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new PollException(where + ": connect timed out");
        }
        if (cause instanceof HttpTimeoutException) {
            return new PollException(where + ": timed out after " + limitMs + " ms");
        }
        if (cause instanceof ConnectException) {
            return new PollException(where + ": connection refused");
        }
        if (cause instanceof javax.net.ssl.SSLException) {
            return new PollException(where + ": TLS failed (" + cause.getMessage() + ")");
        }
        String m = cause == null ? "unknown error" : cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
        return new PollException(where + ": " + m);
    }

    private static void pause(Duration wait, String where) {
        try {
            // a poll runs on its source's own timer thread: waiting here delays only this source
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PollException(where + ": interrupted while waiting out Retry-After");
        }
    }

    private static String suffix(String s) {
        return s.isEmpty() ? "" : ": " + s;
    }

    private static URI baseUri(String baseUrl) {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("base URL must start with http:// or https://, was '" + baseUrl + "'");
        }
        try {
            URI u = URI.create(baseUrl);
            if (u.getHost() == null) {
                throw new IllegalArgumentException("base URL '" + baseUrl + "' has no host");
            }
            if (u.getUserInfo() != null) {
                throw new IllegalArgumentException("base URL must not carry credentials; use the source's credential parameters");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("base URL '" + baseUrl.replaceAll("//[^/@]*@", "//") + "' is malformed: " + e.getMessage());
        }
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
