package pbx.presence.connector.http;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * GETs one unauthenticated URL per poll (the 3CX Call Control bridge) through {@link VendorHttp}, so
 * it has the same connect and whole-response timeouts, body-size limit, TLS option and error wording
 * as every other connector. camel-http has no body-size limit, which is why this is not a plain
 * {@code to:} in the kamelet.
 */
public final class UrlFetcher implements AutoCloseable {

    private final VendorHttp http;
    private final String pathAndQuery;

    public UrlFetcher(String url, VendorHttp.Settings settings) {
        URI u = URI.create(url);
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException("URL must be absolute http(s), was '" + url + "'");
        }
        String base = u.getScheme() + "://" + u.getRawAuthority();
        this.pathAndQuery = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        this.http = new VendorHttp(base, settings, null, Clock.systemUTC());
    }

    /** Factory for kamelet parameters (text, so numeric-looking values bind too). */
    public static UrlFetcher of(String url, String timeoutMillis, String maxBodyBytes, String insecureTls) {
        Duration timeout = Duration.ofMillis(Long.parseLong(timeoutMillis.strip()));
        VendorHttp.Settings d = VendorHttp.Settings.defaults();
        return new UrlFetcher(url.strip(), new VendorHttp.Settings(timeout, timeout, Long.parseLong(maxBodyBytes.strip()),
                d.maxRetryAfter(), !Boolean.parseBoolean(insecureTls.strip())));
    }

    /** The body of one successful GET; a {@link pbx.presence.connector.PollException} otherwise. */
    public byte[] fetch() {
        return http.get(pathAndQuery).body();
    }

    @Override
    public void close() {
        http.close();
    }
}
