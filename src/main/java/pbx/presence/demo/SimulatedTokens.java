package pbx.presence.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The access tokens a simulated PBX API hands out: issuing random tokens with a configurable
 * lifetime, expiring, revoking or refusing them all, counting the issued ones, and judging the
 * token a request presents. Each simulator turns a {@link Verdict} into its own vendor's error body.
 * Thread-safe.
 */
final class SimulatedTokens {

    /** What a presented token is worth. */
    enum Verdict {
        /** A known, unexpired token and tokens are not being refused. */
        VALID,
        /** No token (no {@code Authorization: Bearer …} header). */
        MISSING,
        /** A token never issued, or revoked. */
        UNKNOWN,
        /** A known token past its expiry. */
        EXPIRED,
        /** An otherwise valid token, refused because {@link #setRejectAll} is on. */
        REJECTED
    }

    /** One issued token and the lifetime it was issued with (for {@code expires_in}). */
    record Issued(String token, Duration lifetime) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json; charset=utf-8";

    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();
    private final Supplier<String> newToken;
    private volatile Clock clock;
    private volatile Duration lifetime;
    private volatile boolean rejectAll;

    /**
     * @param lifetime lifetime of issued tokens until {@link #setLifetime} changes it
     * @param newToken makes a fresh random token ({@link #hex}, {@link #base64Url})
     */
    SimulatedTokens(Clock clock, Duration lifetime, Supplier<String> newToken) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.newToken = Objects.requireNonNull(newToken, "newToken");
        setLifetime(lifetime);
    }

    /** Tokens of {@code bytes} random bytes, hex-encoded. */
    static Supplier<String> hex(int bytes) {
        return () -> HexFormat.of().formatHex(random(bytes));
    }

    /** Tokens of {@code bytes} random bytes, URL-safe Base64 without padding. */
    static Supplier<String> base64Url(int bytes) {
        return () -> Base64.getUrlEncoder().withoutPadding().encodeToString(random(bytes));
    }

    private static byte[] random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return b;
    }

    // ---- controls ------------------------------------------------------------------------------

    /** Lifetime of tokens issued from now on. */
    void setLifetime(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive");
        }
        this.lifetime = lifetime;
    }

    void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every token issued so far is expired now (still known, so its verdict is {@link Verdict#EXPIRED}). */
    void expireAll() {
        Instant past = clock.instant().minusSeconds(1);
        tokens.replaceAll((t, exp) -> past);
    }

    /** Forgets every token issued so far (verdict {@link Verdict#UNKNOWN}). */
    void revokeAll() {
        tokens.clear();
    }

    /** Forgets one token. */
    void revoke(String token) {
        tokens.remove(token);
    }

    /** Forgets the tokens that have expired. */
    void removeExpired() {
        Instant now = clock.instant();
        tokens.values().removeIf(exp -> !now.isBefore(exp));
    }

    /** While on, every otherwise valid token gets {@link Verdict#REJECTED}. */
    void setRejectAll(boolean on) {
        this.rejectAll = on;
    }

    boolean rejectingAll() {
        return rejectAll;
    }

    // ---- issuing and checking ------------------------------------------------------------------

    Issued issue() {
        String token = newToken.get();
        Duration life = lifetime;
        tokens.put(token, clock.instant().plus(life));
        issued.incrementAndGet();
        return new Issued(token, life);
    }

    /** Tokens issued so far. */
    long issued() {
        return issued.get();
    }

    /** Judges an {@code Authorization} header value: {@code Bearer <token>} (scheme in any case). */
    Verdict check(String authorizationHeaderValue) {
        String h = authorizationHeaderValue;
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Verdict.MISSING;
        }
        return checkToken(h.substring(7).strip());
    }

    /**
     * Judges a bare token, {@code null} for none. Checked in this order: missing, unknown, expired,
     * rejected; a simulator that refuses every token before looking it up checks {@link #rejectingAll} first.
     */
    Verdict checkToken(String token) {
        if (token == null) {
            return Verdict.MISSING;
        }
        Instant expiry = tokens.get(token);
        if (expiry == null) {
            return Verdict.UNKNOWN;
        }
        if (!clock.instant().isBefore(expiry)) {
            return Verdict.EXPIRED;
        }
        return rejectAll ? Verdict.REJECTED : Verdict.VALID;
    }

    // ---- shared answers --------------------------------------------------------------------------

    /** RFC 6749 §5.2 error body {@code {error, error_description}}, as token endpoints answer. */
    static HttpSimulator.Response oauthError(int status, String error, String description) {
        try {
            String body = MAPPER.writeValueAsString(
                    MAPPER.createObjectNode().put("error", error).put("error_description", description));
            return HttpSimulator.Response.of(status, JSON, body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise OAuth error", e);
        }
    }
}
