package pbx.presence.connector.http;

import java.time.Duration;

/**
 * A credential to send with each request: header name and value (e.g. {@code Authorization},
 * {@code Bearer …}) and how long the issuer said it lives. {@link #toString()} never shows the value.
 */
public record Token(String headerName, String headerValue, Duration lifetime) {

    public static Token bearer(String accessToken, Duration lifetime) {
        return new Token("Authorization", "Bearer " + accessToken, lifetime);
    }

    @Override
    public String toString() {
        return "Token[" + headerName + ", lifetime " + lifetime + ", value redacted]";
    }
}
