package pbx.presence.connector.http;

import java.net.URI;
import java.time.Clock;

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

    /** The body of one successful GET; a {@link pbx.presence.connector.PollException} otherwise. */
    public byte[] fetch() {
        return http.get(pathAndQuery).body();
    }

    @Override
    public void close() {
        http.close();
    }
}
