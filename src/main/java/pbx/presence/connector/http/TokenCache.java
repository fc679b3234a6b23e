package pbx.presence.connector.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The one token cache every authenticated connector shares: asks its issuer for a token when it has
 * none or when the current one is about to expire (10% of its lifetime before, at least 30 s, at
 * most 5 min), and forgets it when the vendor rejects it ({@link #invalidate}). Thread-safe; one
 * issuer call at a time.
 */
public final class TokenCache {

    private final Supplier<Token> issuer;
    private final Clock clock;
    private Token token;
    private Instant renewAt = Instant.MIN;

    /** @param issuer fetches a fresh token (OAuth 2 client credentials, a login call …); throws on failure */
    public TokenCache(Supplier<Token> issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    public synchronized Token get() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(renewAt)) {
            Token fresh = issuer.get();
            Duration life = fresh.lifetime() == null || fresh.lifetime().isNegative() ? Duration.ZERO : fresh.lifetime();
            Duration margin = clamp(life.dividedBy(10), Duration.ofSeconds(30), Duration.ofMinutes(5));
            token = fresh;
            renewAt = now.plus(life.compareTo(margin) > 0 ? life.minus(margin) : life.dividedBy(2));
        }
        return token;
    }

    /** Drops the cached token, e.g. after a 401, so the next {@link #get()} asks the issuer again. */
    public synchronized void invalidate() {
        token = null;
    }

    /**
     * Drops the cached token only if it is the one the vendor rejected: when several requests fail
     * with the same stale token at once, the first renews it and the others reuse the new one.
     */
    public synchronized void invalidate(Token rejected) {
        if (token == rejected) {
            token = null;
        }
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
