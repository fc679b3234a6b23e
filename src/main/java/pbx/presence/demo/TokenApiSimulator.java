package pbx.presence.demo;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulator of an API that issues tokens and rate-limits (VoipNow, Telphin, TelecomX, 3CX v20):
 * the token controls and the 429 plumbing they share, so each simulator keeps only what its vendor
 * does differently (how a token is asked for and carried, what an error body looks like).
 */
public abstract class TokenApiSimulator extends HttpSimulator {

    protected final SimulatedTokens tokens;
    private final AtomicInteger rateLimitRemaining = new AtomicInteger();
    private final AtomicLong rateLimited = new AtomicLong();
    private volatile int retryAfterSeconds = 1;

    protected TokenApiSimulator(String displayName, String threadPrefix, SimulatedPbx pbx, String host, int port,
                                SimulatedTokens tokens) {
        super(displayName, threadPrefix, pbx, host, port);
        this.tokens = tokens;
    }

    /** Lifetime of tokens issued from now on. */
    public void setTokenLifetime(Duration lifetime) {
        tokens.setLifetime(lifetime);
    }

    /** Every token issued so far is expired now: the next request with one gets 401. */
    public void expireTokens() {
        tokens.expireAll();
    }

    /** Forgets every token issued so far (a revocation): the next request with one gets 401. */
    public void revokeTokens() {
        tokens.revokeAll();
    }

    /** While true, every token is refused, even a fresh one (the app lost its permission). */
    public void setRejectAllTokens(boolean reject) {
        tokens.setRejectAll(reject);
    }

    /** Tokens issued so far. */
    public long tokensIssued() {
        return tokens.issued();
    }

    /** The next {@code requests} API requests get 429 with {@code Retry-After: retryAfterSeconds}. */
    public void rateLimitNext(int requests, int retryAfterSeconds) {
        if (requests < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("requests and retryAfterSeconds must not be negative");
        }
        this.retryAfterSeconds = retryAfterSeconds;
        this.rateLimitRemaining.set(requests);
    }

    /** Requests answered 429 so far. */
    public long rateLimitedCount() {
        return rateLimited.get();
    }

    /** True when this request is one of those {@link #rateLimitNext} asked to refuse (and counts it). */
    protected boolean rateLimitsThisRequest() {
        if (rateLimitRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            rateLimited.incrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * The OAuth 2 client-credentials check every token endpoint makes: null when the form asks for
     * {@code client_credentials} with this id and secret, else the error to answer (400
     * {@code unsupported_grant_type}, 401 {@code invalid_client} with the vendor's own description).
     */
    protected static Response refusedClientCredentials(Request request, String clientId, String clientSecret,
                                                       String invalidClientDescription) {
        java.util.Map<String, String> form = SimulatorForms.parse(request.bodyText());
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return SimulatedTokens.oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
        }
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            return SimulatedTokens.oauthError(401, "invalid_client", invalidClientDescription);
        }
        return null;
    }

    /** The {@code Retry-After} a 429 carries, in seconds. */
    protected int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
