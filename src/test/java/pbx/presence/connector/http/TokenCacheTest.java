package pbx.presence.connector.http;

import pbx.presence.MutableClock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared token cache: renewal before expiry (10% of the lifetime, 30 s … 5 min), invalidation, one issuer call at a time. */
class TokenCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");


    /** Issues t1, t2 … with a fixed lifetime and counts the calls. */
    private static final class CountingIssuer implements Supplier<Token> {
        final AtomicInteger calls = new AtomicInteger();
        final Duration lifetime;

        CountingIssuer(Duration lifetime) {
            this.lifetime = lifetime;
        }

        @Override
        public Token get() {
            return Token.bearer("t" + calls.incrementAndGet(), lifetime);
        }
    }

    private final MutableClock clock = new MutableClock(T0);

    private static String value(Token t) {
        return t.headerValue();
    }

    @Test
    void asksTheIssuerOnceAndReusesTheToken() {
        CountingIssuer issuer = new CountingIssuer(Duration.ofHours(1));
        TokenCache cache = new TokenCache(issuer, clock);
        Token first = cache.get();
        assertEquals("Bearer t1", value(first));
        assertEquals("Authorization", first.headerName());
        clock.setSinceStart(Duration.ofMinutes(30));
        assertSame(first, cache.get());
        assertEquals(1, issuer.calls.get());
    }

    @Test
    void renewsFiveMinutesBeforeALongLifetimeEnds() {
        CountingIssuer issuer = new CountingIssuer(Duration.ofHours(1)); // 10% = 6 min, capped at 5 min
        TokenCache cache = new TokenCache(issuer, clock);
        cache.get();
        clock.setSinceStart(Duration.ofSeconds(3299));
        assertEquals("Bearer t1", value(cache.get()));
        clock.setSinceStart(Duration.ofSeconds(3300));
        assertEquals("Bearer t2", value(cache.get()), "renewed before expiry, not after a 401");
        clock.setSinceStart(Duration.ofSeconds(3300 + 3299));
        assertEquals("Bearer t2", value(cache.get()), "the new token's own lifetime counts from its issue");
        assertEquals(2, issuer.calls.get());
    }

    @Test
    void renewsTenPercentBeforeAMediumLifetimeEnds() {
        CountingIssuer issuer = new CountingIssuer(Duration.ofSeconds(1000)); // 10% = 100 s
        TokenCache cache = new TokenCache(issuer, clock);
        cache.get();
        clock.setSinceStart(Duration.ofSeconds(899));
        assertEquals("Bearer t1", value(cache.get()));
        clock.setSinceStart(Duration.ofSeconds(900));
        assertEquals("Bearer t2", value(cache.get()));
    }

    @Test
    void renewsAtLeastThirtySecondsBeforeAShortLifetimeEnds() {
        CountingIssuer issuer = new CountingIssuer(Duration.ofSeconds(120)); // 10% = 12 s, raised to 30 s
        TokenCache cache = new TokenCache(issuer, clock);
        cache.get();
        clock.setSinceStart(Duration.ofSeconds(89));
        assertEquals("Bearer t1", value(cache.get()));
        clock.setSinceStart(Duration.ofSeconds(90));
        assertEquals("Bearer t2", value(cache.get()));
    }

    @Test
    void aLifetimeShorterThanTheMarginIsUsedForHalfOfIt() {
        CountingIssuer issuer = new CountingIssuer(Duration.ofSeconds(20));
        TokenCache cache = new TokenCache(issuer, clock);
        cache.get();
        clock.setSinceStart(Duration.ofSeconds(9));
        assertEquals("Bearer t1", value(cache.get()));
        clock.setSinceStart(Duration.ofSeconds(10));
        assertEquals("Bearer t2", value(cache.get()));
    }

    @Test
    void aTokenWithoutLifetimeIsNotReused() {
        CountingIssuer zero = new CountingIssuer(Duration.ZERO);
        TokenCache cache = new TokenCache(zero, clock);
        cache.get();
        cache.get();
        assertEquals(2, zero.calls.get());
        CountingIssuer none = new CountingIssuer(null);
        TokenCache cache2 = new TokenCache(none, clock);
        cache2.get();
        cache2.get();
        assertEquals(2, none.calls.get());
    }

    @Test
    void invalidateMakesTheNextGetAskAgain() {
        CountingIssuer issuer = new CountingIssuer(Duration.ofHours(1));
        TokenCache cache = new TokenCache(issuer, clock);
        cache.get();
        cache.invalidate();
        assertEquals("Bearer t2", value(cache.get()));
        assertEquals("Bearer t2", value(cache.get()));
        assertEquals(2, issuer.calls.get());
    }

    @Test
    void anIssuerFailureIsThrownAndTheNextGetTriesAgain() {
        AtomicInteger calls = new AtomicInteger();
        TokenCache cache = new TokenCache(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("token endpoint down");
            }
            return Token.bearer("ok", Duration.ofHours(1));
        }, clock);
        assertEquals("token endpoint down", assertThrows(IllegalStateException.class, cache::get).getMessage());
        assertEquals("Bearer ok", value(cache.get()));
        assertEquals(2, calls.get());
    }

    @Test
    void concurrentCallersWaitForOneIssuerCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        TokenCache cache = new TokenCache(() -> {
            calls.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Token.bearer("shared", Duration.ofHours(1));
        }, clock);
        List<Token> got = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> got.add(cache.get()), "token-caller-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1
                && threads.stream().filter(t -> t.getState() == Thread.State.BLOCKED).count() == 7);
        release.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertEquals(8, got.size());
        assertEquals(1, calls.get(), "one issuer call for all of them");
        assertTrue(got.stream().allMatch(t -> t == got.get(0)));
    }

    @Test
    void aTokenNeverShowsItsValue() {
        Token t = Token.bearer("very-secret-value", Duration.ofMinutes(5));
        assertFalse(t.toString().contains("very-secret-value"), t.toString());
    }
}
