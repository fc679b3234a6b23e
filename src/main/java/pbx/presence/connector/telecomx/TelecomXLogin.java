package pbx.presence.connector.telecomx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import pbx.presence.model.Json;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.PollException;
import pbx.presence.connector.http.Token;
import pbx.presence.connector.http.VendorHttp;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The TelecomX token issuer for the shared {@link pbx.presence.connector.http.TokenCache}:
 * {@code POST /auth/login} with the JSON body {@code {username, password}} answers
 * {@code {token, expiresInMinutes, employee, customer, accessLevel}} (wiki "API : Authentication
 * Login"; {@code expiresInMinutes} is 15 by default and -1 for a persistent token). The cache
 * renews the token shortly before it expires and drops it on a 401.
 *
 * <p>Which header carries the token is not documented (the login page says only "token to present
 * on all future requests"): ASSUMED {@code Authorization: Bearer <token>}, configurable through
 * {@code headerName} and {@code scheme} (an empty scheme sends the bare token, e.g. for
 * {@code X-Auth-Token: <token>}).
 *
 * <p>Failures are {@link PollException}s naming {@code POST /auth/login} and the vendor's own
 * {@code code: message}; neither the password nor the token ever appears in a message or in
 * {@link #toString()}.
 */
public final class TelecomXLogin implements Supplier<Token> {

    public static final String PATH = "/auth/login";
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    /**
     * Lifetime assumed for a persistent token ({@code expiresInMinutes: -1}); the cache renews it
     * shortly before, and a 401 renews it at once.
     */
    public static final Duration PERSISTENT_LIFETIME = Duration.ofHours(12);

    private final VendorHttp http;
    private final String username;
    private final String password;
    private final String headerName;
    private final String scheme;

    /**
     * @param http the source's client (the login is sent without the cached credential)
     * @param headerName header that carries the token, e.g. {@code Authorization}
     * @param scheme text before the token in that header, e.g. {@code Bearer}; empty for the bare token
     */
    public TelecomXLogin(VendorHttp http, String username, String password, String headerName, String scheme) {
        this.http = Objects.requireNonNull(http, "http");
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("TelecomX username and password are required for " + PATH);
        }
        if (headerName == null || !headerName.strip().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new IllegalArgumentException("TelecomX token header must be an HTTP header name, was '" + headerName + "'");
        }
        this.username = username.strip();
        this.password = password;
        this.headerName = headerName.strip();
        this.scheme = scheme == null ? "" : scheme.strip();
    }

    @Override
    public Token get() {
        String where = "POST " + PATH;
        VendorHttp.Response response = http.postUnauthenticated(PATH, "application/json", body());
        JsonNode n;
        try {
            n = LenientJson.parse(response.body(), "login response");
        } catch (PayloadException e) {
            // the parser's detail could quote part of the body, which may hold the token: leave it out
            throw new PollException(where + ": login response is not JSON");
        }
        String token = n.isObject() ? TelecomXJson.nonBlank(n.get("token")) : null;
        if (token == null) {
            throw new PollException(where + ": login response has no token");
        }
        return new Token(headerName, scheme.isEmpty() ? token : scheme + " " + token, lifetime(n.get("expiresInMinutes")));
    }

    private static Duration lifetime(JsonNode expiresInMinutes) {
        Long minutes = LenientJson.integer(expiresInMinutes);
        if (minutes == null || minutes == 0) {
            return DEFAULT_LIFETIME;
        }
        return minutes < 0 ? PERSISTENT_LIFETIME : Duration.ofMinutes(minutes);
    }

    private String body() {
        ObjectNode o = Json.MAPPER.createObjectNode().put("username", username).put("password", password);
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the login body", e);
        }
    }

    @Override
    public String toString() {
        return "TelecomXLogin[" + PATH + ", header " + headerName + (scheme.isEmpty() ? "" : " " + scheme) + ", credentials redacted]";
    }
}
