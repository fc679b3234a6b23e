package pbx.presence.demo;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pbx.presence.demo.SimulatedTokens.Verdict.EXPIRED;
import static pbx.presence.demo.SimulatedTokens.Verdict.MISSING;
import static pbx.presence.demo.SimulatedTokens.Verdict.REJECTED;
import static pbx.presence.demo.SimulatedTokens.Verdict.UNKNOWN;
import static pbx.presence.demo.SimulatedTokens.Verdict.VALID;

/** Issuing, judging, expiring, revoking and refusing simulated tokens, on a clock moved by hand (no sleeping). */
class SimulatedTokensTest {

    private static final Clock START = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    private final SimulatedTokens tokens = new SimulatedTokens(START, Duration.ofMinutes(10), SimulatedTokens.hex(20));
    private Duration elapsed = Duration.ZERO;

    /** Moves the tokens' clock on by hand. */
    private void advance(Duration d) {
        elapsed = elapsed.plus(d);
        tokens.setClock(Clock.offset(START, elapsed));
    }

    @Test
    void verdictsOfHeaders() {
        SimulatedTokens.Issued issued = tokens.issue();
        assertTrue(issued.token().matches("[0-9a-f]{40}"));
        assertEquals(Duration.ofMinutes(10), issued.lifetime());
        assertEquals(1, tokens.issued());

        assertEquals(VALID, tokens.check("Bearer " + issued.token()));
        assertEquals(VALID, tokens.check("bearer  " + issued.token() + " "));
        assertEquals(MISSING, tokens.check(null));
        assertEquals(MISSING, tokens.check("Basic abc"));
        assertEquals(MISSING, tokens.check("Bearer"));
        assertEquals(UNKNOWN, tokens.check("Bearer nope"));
        assertEquals(MISSING, tokens.checkToken(null));
        assertEquals(VALID, tokens.checkToken(issued.token()));
    }

    @Test
    void tokensExpireWithTheClockOrOnDemand() {
        String first = tokens.issue().token();
        advance(Duration.ofMinutes(10).minusSeconds(1));
        assertEquals(VALID, tokens.checkToken(first));
        advance(Duration.ofSeconds(1));
        assertEquals(EXPIRED, tokens.checkToken(first));

        tokens.setLifetime(Duration.ofHours(1));
        SimulatedTokens.Issued second = tokens.issue();
        assertEquals(Duration.ofHours(1), second.lifetime());
        assertEquals(VALID, tokens.checkToken(second.token()));
        tokens.expireAll();
        assertEquals(EXPIRED, tokens.checkToken(second.token()));

        tokens.removeExpired();
        assertEquals(UNKNOWN, tokens.checkToken(first));
        assertEquals(UNKNOWN, tokens.checkToken(second.token()));
        assertThrows(IllegalArgumentException.class, () -> tokens.setLifetime(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> tokens.setLifetime(null));
    }

    @Test
    void revokeAndRejectAll() {
        String a = tokens.issue().token();
        String b = tokens.issue().token();
        assertNotEquals(a, b);
        assertEquals(2, tokens.issued());

        tokens.setRejectAll(true);
        assertTrue(tokens.rejectingAll());
        assertEquals(REJECTED, tokens.checkToken(a));
        assertEquals(UNKNOWN, tokens.checkToken("other"), "rejection applies to otherwise valid tokens");
        tokens.setRejectAll(false);
        assertEquals(VALID, tokens.checkToken(a));

        tokens.revoke(a);
        assertEquals(UNKNOWN, tokens.checkToken(a));
        assertEquals(VALID, tokens.checkToken(b));
        tokens.revokeAll();
        assertEquals(UNKNOWN, tokens.checkToken(b));
        assertEquals(2, tokens.issued(), "the counter survives revocation");
    }

    @Test
    void base64TokensAndSharedHelpers() {
        SimulatedTokens other = new SimulatedTokens(START, Duration.ofMinutes(1), SimulatedTokens.base64Url(32));
        assertTrue(other.issue().token().matches("[A-Za-z0-9_-]{43}"));

        HttpSimulator.Response r = SimulatedTokens.oauthError(401, "invalid_client", "Client authentication failed");
        assertEquals(401, r.status());
        assertEquals("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}",
                new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));

        assertEquals(Map.of("a", "1 2", "b", "", "c", "x=y"), SimulatorForms.parse("a=1+2&&b&c=x%3Dy&a=3"));
        assertEquals(Map.of(), SimulatorForms.parse(null));
    }
}
