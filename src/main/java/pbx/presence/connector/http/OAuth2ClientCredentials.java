package pbx.presence.connector.http;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.Json;
import pbx.presence.connector.PollException;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * OAuth 2 client-credentials token issuer (RFC 6749 §4.4) with the credentials in the form body, as
 * VoipNow ({@code /oauth/token.php}), Telphin ({@code /oauth/token}) and 3CX v20
 * ({@code /connect/token}) expect. Errors name the token path and the vendor's message, never the
 * secret.
 */
public final class OAuth2ClientCredentials implements Supplier<Token> {

    private final HttpClient client;
    private final URI tokenUri;
    private final String clientId;
    private final String clientSecret;
    private final Duration timeout;
    private final Duration defaultLifetime;

    public OAuth2ClientCredentials(HttpClient client, URI tokenUri, String clientId, String clientSecret,
                                   Duration timeout, Duration defaultLifetime) {
        if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException("OAuth 2 client id and secret are required for " + tokenUri.getPath());
        }
        this.client = client;
        this.tokenUri = tokenUri;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.timeout = timeout;
        this.defaultLifetime = defaultLifetime;
    }

    @Override
    public Token get() {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(tokenUri).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        String where = "POST " + tokenUri.getPath();
        HttpResponse<String> response = VendorHttp.send(client, request, where, timeout, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new PollException(where + ": token request refused, HTTP " + response.statusCode()
                    + suffix(ErrorBodies.summary(response.body())));
        }
        try {
            JsonNode n = Json.MAPPER.readTree(response.body());
            String access = n.path("access_token").asText("");
            if (access.isEmpty()) {
                throw new PollException(where + ": token response has no access_token");
            }
            long expires = n.path("expires_in").asLong(0);
            return Token.bearer(access, expires > 0 ? Duration.ofSeconds(expires) : defaultLifetime);
        } catch (PollException e) {
            throw e;
        } catch (Exception e) {
            throw new PollException(where + ": token response is not JSON");
        }
    }

    private static String suffix(String s) {
        return s.isEmpty() ? "" : ": " + s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OAuth2ClientCredentials[" + tokenUri + ", client " + clientId + ", secret redacted]";
    }
}
