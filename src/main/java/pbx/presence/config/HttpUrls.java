package pbx.presence.config;

import org.apache.camel.util.URISupport;

import java.net.URI;
import java.net.URISyntaxException;

/** The one check that a configured URL is an absolute http(s) URL, shared by source routes and sinks. */
public final class HttpUrls {

    private HttpUrls() {
    }

    /**
     * {@code url} parsed, or an {@link IllegalArgumentException} whose message says what is wrong
     * (shown sanitized: a password in it is masked).
     */
    public static URI requireHttp(String url) {
        try {
            URI u = new URI(url);
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("must be an absolute http:// or https:// URL, was '" + URISupport.sanitizeUri(url) + "'");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL (" + e.getReason() + ")");
        }
    }
}
