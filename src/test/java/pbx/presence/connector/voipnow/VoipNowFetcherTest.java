package pbx.presence.connector.voipnow;

import pbx.presence.MutableClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.demo.Failure;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.VoipNowSimulator;
import pbx.presence.model.Availability;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Registration;
import pbx.presence.connector.KameletParameters;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.PollException;
import pbx.presence.connector.http.VendorHttp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetcher against the real simulator: auth, paging to completion, the startIndex limit, failures. */
class VoipNowFetcherTest {

    private static final String ID = "router-app";
    private static final String SECRET = "s3cr3t-Value-9";
    /** Generous: several builds share this machine. The hang test uses its own short timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

    private final SimulatedPbx pbx = new SimulatedPbx();
    private final MutableClock clock = new MutableClock(START);
    private final List<VoipNowFetcher> fetchers = new ArrayList<>();
    private VoipNowSimulator sim;

    @BeforeEach
    void start() {
        sim = new VoipNowSimulator(pbx, "127.0.0.1", 0, ID, SECRET).start();
    }

    @AfterEach
    void stop() {
        fetchers.forEach(VoipNowFetcher::close);
        sim.stop();
    }

    private void extensions(int from, int toExclusive) {
        IntStream.range(from, toExclusive).forEach(i -> pbx.put(SimulatedExtension.of(String.valueOf(i), "User " + i)));
    }

    private VoipNowFetcher fetcher(VoipNowPaging paging) {
        return fetcher(paging, SECRET);
    }

    private VoipNowFetcher fetcher(VoipNowPaging paging, String secret) {
        return fetcher(paging, secret, TIMEOUT);
    }

    private VoipNowFetcher fetcher(VoipNowPaging paging, String secret, Duration timeout) {
        VendorHttp.Settings settings = new VendorHttp.Settings(timeout, timeout, 64L * 1024 * 1024, Duration.ofSeconds(5), true);
        VoipNowFetcher f = new VoipNowFetcher(sim.baseUrl(), ID, secret, paging, settings, clock);
        fetchers.add(f);
        return f;
    }

    private static List<ExtensionPresence> translate(VoipNowPayload payload) {
        return new VoipNowTranslator("vn").translate(payload, START);
    }

    private static List<String> numbers(VoipNowPayload payload) {
        return translate(payload).stream().map(ExtensionPresence::extension).toList();
    }

    @Test
    void severalPagesMakeOneCompleteSnapshot() {
        extensions(200, 245);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults().withPageSize(20));
        assertEquals(IntStream.range(200, 245).mapToObj(String::valueOf).toList(), numbers(f.fetch()));
        assertEquals(3, sim.presenceRequests());
        assertEquals(1, sim.tokenRequests());
    }

    @Test
    void twelveThousandExtensionsInOnePollDespiteTheStartIndexLimit() {
        extensions(10000, 22000);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults().withPageSize(5000));
        List<String> got = numbers(f.fetch());
        assertEquals(12000, got.size());
        assertEquals(12000, new HashSet<>(got).size());
        assertTrue(sim.presenceRequests() <= 16, "one probe, eleven prefix groups, their extra pages: " + sim.requestCounts());
    }

    @Test
    void twelveThousandWithoutPartitioningFailsNamingTheLimit() {
        extensions(10000, 22000);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults().withPageSize(5000).withPartitionByPrefix(false));
        PollException e = assertThrows(PollException.class, f::fetch);
        assertTrue(e.getMessage().startsWith("GET /uapi/extensions/@me/@self/presence?count=5000&startIndex=0: 12000 extensions,"
                + " but VoipNow pages only up to startIndex 5000 (10000 entries at count=5000)"), e.getMessage());
    }

    @Test
    void extendedNumbersSharingAPrefixAreSplitFurther() {
        sim.setExtensionPrefix("0003*");
        extensions(1000, 7500);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults().withPageSize(1000));
        List<String> got = numbers(f.fetch());
        assertEquals(6500, new HashSet<>(got).size());
        assertTrue(got.contains("0003*7499"));
        assertTrue(sim.requestCounts().keySet().stream().allMatch(p -> !p.startsWith("/uapi/") || p.equals(VoipNowSimulator.PRESENCE_PATH)),
                sim.requestCounts().toString());
    }

    @Test
    void aServerSidePageCapIsFollowed() {
        sim.setMaxItemsPerPage(7);
        extensions(200, 230);
        assertEquals(30, numbers(fetcher(VoipNowPaging.defaults().withPageSize(20)).fetch()).size());
        assertEquals(5, sim.presenceRequests());
    }

    @Test
    void numbersAsStringsOrNumbersMakeNoDifference() {
        extensions(200, 203);
        pbx.update("201", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.RINGING, "+4930123")));
        pbx.update("202", e -> e.withRegistered(false));
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults());
        List<List<ExtensionPresence>> runs = new ArrayList<>();
        for (VoipNowSimulator.NumberStyle style : VoipNowSimulator.NumberStyle.values()) {
            sim.setNumberStyle(style);
            runs.add(translate(f.fetch()));
        }
        for (List<ExtensionPresence> run : runs) {
            assertEquals(List.of(Availability.AVAILABLE, Availability.BUSY, Availability.OFFLINE),
                    run.stream().map(ExtensionPresence::availability).toList());
            assertEquals(LineState.RINGING, run.get(1).line());
            assertEquals(Registration.NOT_REGISTERED, run.get(2).registration());
        }
    }

    @Test
    void noExtensionsIsHttp204AndAnEmptySnapshot() {
        assertEquals(List.of(), numbers(fetcher(VoipNowPaging.defaults()).fetch()));
    }

    @Test
    void oneExtensionThroughItsOwnPath() {
        extensions(200, 210);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults().withScope("@me", "205"));
        assertEquals(List.of("205"), numbers(f.fetch()));
        assertEquals(1, sim.requestCount("/uapi/extensions/@me/205/presence"));
    }

    @Test
    void theTokenIsCachedAcrossPolls() {
        extensions(200, 205);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults());
        f.fetch();
        f.fetch();
        f.fetch();
        assertEquals(1, sim.tokenRequests());
    }

    @Test
    void anExpiredTokenIsRefreshedExactlyOnce() {
        extensions(200, 205);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults());
        f.fetch();
        sim.expireTokens();
        assertEquals(5, numbers(f.fetch()).size());
        assertEquals(2, sim.tokenRequests());
        assertEquals(3, sim.presenceRequests(), "one good poll, one 401, one retry");
        sim.revokeTokens();
        assertEquals(5, numbers(f.fetch()).size());
        assertEquals(3, sim.tokenRequests());
    }

    @Test
    void theTokenIsRenewedBeforeItExpires() {
        sim.setTokenLifetime(Duration.ofSeconds(600));
        extensions(200, 205);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults());
        f.fetch();
        clock.advance(Duration.ofSeconds(539));
        f.fetch();
        assertEquals(1, sim.tokenRequests(), "still well within its lifetime");
        clock.advance(Duration.ofSeconds(1)); // 600 s less the 60 s margin
        f.fetch();
        assertEquals(2, sim.tokenRequests());
        assertEquals(3, sim.presenceRequests(), "renewed before the server could reject it: no 401");
    }

    @Test
    void a429IsWaitedOutOnce() {
        extensions(200, 205);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults());
        f.fetch();
        sim.rateLimitNext(1, 1);
        long t0 = System.nanoTime();
        assertEquals(5, numbers(f.fetch()).size());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 950, "waited the Retry-After second: " + ms + " ms");
        assertTrue(ms < 4000, "and not much longer: " + ms + " ms");
        assertEquals(3, sim.presenceRequests());

        sim.rateLimitNext(2, 1);
        PollException e = assertThrows(PollException.class, f::fetch);
        assertTrue(e.getMessage().endsWith("HTTP 429: too_many_requests: rate limit reached, retry after 1 s"), e.getMessage());
    }

    @Test
    void a401AfterARefreshFailsClearlyAndTheFetcherRecovers() {
        extensions(200, 205);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults());
        f.fetch();
        sim.setRejectAllTokens(true);
        PollException e = assertThrows(PollException.class, f::fetch);
        assertEquals("GET /uapi/extensions/@me/@self/presence?count=1000&startIndex=0: HTTP 401 even with a fresh token:"
                + " invalid_token: The access token provided is not allowed to read presence.", e.getMessage());
        assertEquals(2, sim.tokenRequests(), "exactly one refresh");
        sim.setRejectAllTokens(false);
        assertEquals(5, numbers(f.fetch()).size());
    }

    @Test
    void wrongCredentialsFailWithoutShowingTheSecret() {
        extensions(200, 205);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults(), "wrong-" + SECRET);
        PollException e = assertThrows(PollException.class, f::fetch);
        assertEquals("POST /oauth/token.php: token request refused, HTTP 401: invalid_client: client authentication failed", e.getMessage());
        assertFalse(f.toString().contains(SECRET), f.toString());
        assertEquals(0, sim.presenceRequests());
    }

    @Test
    void vendorErrorBodiesAppearInTheMessage() {
        extensions(200, 205);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults().withScope("@me", "999"));
        PollException e = assertThrows(PollException.class, f::fetch);
        assertEquals("GET /uapi/extensions/@me/999/presence?count=1000&startIndex=0: HTTP 400: extension_invalid: Value supplied"
                + " in the URI-Fragment as extension is invalid. The parameter must reference the number of an existing Phone"
                + " Terminal extension or can be set to @self.", e.getMessage());
    }

    @Test
    void failuresAreClearAndTheFetcherIsUsableAfterEach() {
        extensions(200, 245);
        VoipNowFetcher f = fetcher(VoipNowPaging.defaults().withPageSize(20), SECRET, Duration.ofMillis(1500));
        String first = "GET /uapi/extensions/@me/@self/presence?count=20&startIndex=0";

        sim.setFailure(VoipNowSimulator.API_PREFIX, Failure.HTTP_500);
        assertEquals(first + ": HTTP 500: internal_error: simulated internal server error",
                assertThrows(PollException.class, f::fetch).getMessage());
        recovers(f);

        sim.setFailure(VoipNowSimulator.API_PREFIX, Failure.GARBAGE);
        assertTrue(assertThrows(PayloadException.class, f::fetch).getMessage()
                .startsWith("VoipNow presence page (" + first + "): malformed JSON"));
        recovers(f);

        sim.setFailure(VoipNowSimulator.API_PREFIX, Failure.TRUNCATED);
        assertTrue(assertThrows(PayloadException.class, f::fetch).getMessage()
                .startsWith("VoipNow presence page (" + first + "): truncated JSON"));
        recovers(f);

        sim.setFailure(VoipNowSimulator.API_PREFIX, Failure.HANG);
        long t0 = System.nanoTime();
        assertEquals(first + ": timed out after 1500 ms", assertThrows(PollException.class, f::fetch).getMessage());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000, "the timeout, not a hang");
        recovers(f);

        sim.setFailure(VoipNowSimulator.TOKEN_PATH, Failure.HTTP_500);
        sim.expireTokens();
        assertTrue(assertThrows(PollException.class, f::fetch).getMessage()
                .startsWith("POST /oauth/token.php: token request refused, HTTP 500"));
        recovers(f);
    }

    private void recovers(VoipNowFetcher f) {
        sim.clearFailures();
        assertEquals(pbx.size(), numbers(f.fetch()).size(), "usable again after the failure");
    }

    /** The kamelet's beans from its parameters (KameletParameters): errors name the source, the parameter and the value. */
    private KameletParameters params(String... overrides) {
        KameletParameters p = KameletParameters.of("sourceId", "hq-voipnow", "baseUrl", sim.baseUrl(), "clientId", ID,
                "clientSecret", SECRET, "userId", "@me", "extension", "@self", "pageSize", "1000", "timeoutMillis", "1000",
                "maxBodyBytes", "1000000", "insecureTls", "false", "partitionByPrefix", "true", "prefixFilterOp", "startsWith",
                "maxStartIndex", "5000");
        for (int i = 0; i < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        return p;
    }

    @Test
    void kameletParametersAreCheckedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VoipNowKamelet.fetcher(params("pageSize", "lots")));
        assertEquals("source 'hq-voipnow': parameter pageSize must be a whole number from 1 to 5000, was 'lots'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VoipNowKamelet.fetcher(params("pageSize", "6000")));
        assertEquals("source 'hq-voipnow': parameter pageSize must be a whole number from 1 to 5000, was '6000'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VoipNowKamelet.fetcher(params("partitionByPrefix", "yes")));
        assertEquals("source 'hq-voipnow': parameter partitionByPrefix must be true or false, was 'yes'", e.getMessage());
        try (VoipNowFetcher f = VoipNowKamelet.fetcher(params("userId", "", "extension", " ", "pageSize", "100",
                "prefixFilterOp", ""))) {
            assertEquals(VoipNowPaging.defaults().withPageSize(100), f.paging());
        }
        e = assertThrows(IllegalArgumentException.class, () -> VoipNowKamelet.fetcher(params("timeoutMillis", "0")));
        assertEquals("source 'hq-voipnow': parameter timeoutMillis must be a whole number from 1 to 3600000, was '0'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VoipNowKamelet.fetcher(params("clientSecret", "")));
        assertTrue(e.getMessage().contains("client id and secret are required"), e.getMessage());
        try (VoipNowFetcher f = VoipNowKamelet.fetcher(params("baseUrl", sim.baseUrl() + "/", "clientId", "900"))) {
            assertFalse(f.toString().contains(SECRET), f.toString());
        }
        try (VoipNowFetcher f = VoipNowKamelet.fetcher(params("baseUrl", sim.baseUrl() + "/"))) {
            extensions(200, 203);
            assertEquals(3, numbers(f.fetch()).size());
            assertFalse(f.toString().contains(SECRET), f.toString());
        }
    }
}
