package pbx.presence.connector.telecomx;

import pbx.presence.MutableClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.demo.DemoScenario;
import pbx.presence.demo.Failure;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.TelecomXSimulator;
import pbx.presence.model.Availability;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.connector.KameletParameters;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.PollException;
import pbx.presence.connector.http.VendorHttp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real {@link TelecomXSimulator} on loopback. */
class TelecomXFetcherTest {

    private static final String USER = "api@duck.example";
    private static final String PASSWORD = "s3cret-Pa55word";
    private static final String EMPLOYEES = "/pbx/app/employees";
    private static final String LOGIN = "/auth/login";
    private static final Duration TIMEOUT = Duration.ofMillis(700);
    private static final Duration BIG_TIMEOUT = Duration.ofSeconds(15);

    private final SimulatedPbx pbx = new SimulatedPbx();
    private final List<TelecomXFetcher> fetchers = new ArrayList<>();
    private final TelecomXTranslator translator = new TelecomXTranslator("tx");
    private TelecomXSimulator sim;

    @BeforeEach
    void startSimulator() {
        sim = new TelecomXSimulator(pbx, "127.0.0.1", 0, USER, PASSWORD).start();
    }

    @AfterEach
    void stopAll() {
        fetchers.forEach(TelecomXFetcher::close);
        sim.stop();
    }


    private TelecomXFetcher fetcher(TelecomXFetcher.Options options, String password, Clock clock) {
        return fetcher(options, password, clock, TIMEOUT);
    }

    private TelecomXFetcher fetcher(TelecomXFetcher.Options options, String password, Clock clock, Duration timeout) {
        VendorHttp.Settings settings = new VendorHttp.Settings(timeout, timeout, 64L * 1024 * 1024, Duration.ofSeconds(5), true);
        TelecomXFetcher f = new TelecomXFetcher(sim.baseUrl(), USER, password, options, settings, clock);
        fetchers.add(f);
        return f;
    }

    private TelecomXFetcher fetcher(TelecomXMode mode) {
        return fetcher(TelecomXFetcher.Options.defaults(mode), PASSWORD, Clock.systemUTC());
    }

    private void extensions(int n) {
        for (int i = 0; i < n; i++) {
            String number = Integer.toString(10000 + i);
            pbx.put(SimulatedExtension.of(number, "User " + number));
        }
    }

    private List<ExtensionPresence> poll(TelecomXFetcher f) {
        return translator.translate(f.fetch(), Instant.now());
    }

    private static PollException pollFails(TelecomXFetcher f) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(PollException.class, f::fetch));
    }

    // ---- completeness ----------------------------------------------------------------------------

    @Test
    void employeesModeIsOneRequestPerPollAfterOneLogin() {
        DemoScenario.initialExtensions().forEach(pbx::put);
        TelecomXFetcher f = fetcher(TelecomXMode.EMPLOYEES);
        List<ExtensionPresence> first = poll(f);
        List<ExtensionPresence> second = poll(f);
        assertEquals(pbx.size(), first.size());
        assertEquals(first.stream().map(ExtensionPresence::extension).toList(),
                pbx.all().stream().map(SimulatedExtension::number).toList());
        assertEquals(pbx.size(), second.size());
        assertEquals(2, sim.requestCount(EMPLOYEES));
        assertEquals(1, sim.requestCount(LOGIN), "the token is cached between polls");
    }

    @Test
    void twelveThousandExtensionsArePolledCompletelyAcrossTwelvePages() {
        extensions(12_000);
        // a generous timeout: the simulator builds each big answer on the fly, on a busy build machine
        TelecomXFetcher f = fetcher(TelecomXFetcher.Options.defaults(TelecomXMode.EXTENSIONS), PASSWORD, Clock.systemUTC(), BIG_TIMEOUT);
        TelecomXPayload payload = f.fetch();
        List<ExtensionPresence> out = translator.translate(payload, Instant.now());
        assertEquals(12_000, out.size());
        assertEquals(12_000, new HashSet<>(out.stream().map(ExtensionPresence::extension).toList()).size());
        assertEquals(12, payload.pages().size());
        assertEquals(12, sim.requestCount(TelecomXFetcher.EXTENSIONS_PATH), "the envelope's total ends the paging");
        assertTrue(out.stream().allMatch(p -> p.availability() == Availability.AVAILABLE), "phones were included");
    }

    @Test
    void twelveThousandExtensionsInOneEmployeesRequest() {
        extensions(12_000);
        List<ExtensionPresence> out = poll(fetcher(TelecomXFetcher.Options.defaults(TelecomXMode.EMPLOYEES), PASSWORD,
                Clock.systemUTC(), BIG_TIMEOUT));
        assertEquals(12_000, out.size());
        assertEquals(1, sim.requestCount(EMPLOYEES));
    }

    @Test
    void bareArrayPagesEndWithAShortPage() {
        extensions(2_500);
        sim.setListShape(TelecomXSimulator.ListShape.ARRAY);
        TelecomXFetcher f = fetcher(TelecomXFetcher.Options.defaults(TelecomXMode.EXTENSIONS), PASSWORD, Clock.systemUTC());
        assertEquals(2_500, poll(f).size());
        assertEquals(3, sim.requestCount(TelecomXFetcher.EXTENSIONS_PATH));

        // an exact multiple of the page size needs one more, empty page to know the end
        sim.resetRequestCounts();
        pbx.remove("10000");
        pbx.remove("10001");
        pbx.remove("10002");
        pbx.remove("10003");
        pbx.put(SimulatedExtension.of("99999", "Last"));
        extensionsUpTo(3_000);
        assertEquals(3_000, poll(f).size());
        assertEquals(4, sim.requestCount(TelecomXFetcher.EXTENSIONS_PATH));
    }

    private void extensionsUpTo(int total) {
        for (int i = 20000; pbx.size() < total; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(i), "User " + i));
        }
    }

    @Test
    void aServerIgnoringOffsetFailsThePollInsteadOfRepeatingExtensions() {
        extensions(30);
        sim.setIgnoreOffset(true);
        TelecomXFetcher f = fetcher(TelecomXFetcher.Options.defaults(TelecomXMode.EXTENSIONS).withPageSize(10), PASSWORD, Clock.systemUTC());
        PollException e = pollFails(f);
        assertTrue(e.getMessage().startsWith("GET /pbx/extension?offset=10&limit=10&includePhones=true&sort=number: the page repeats the page at offset 0"),
                e.getMessage());
        sim.setIgnoreOffset(false);
        assertEquals(30, poll(f).size(), "usable again");
    }

    @Test
    void pagingStopsAtTheConfiguredPageLimit() {
        extensions(50);
        TelecomXFetcher f = fetcher(TelecomXFetcher.Options.defaults(TelecomXMode.EXTENSIONS).withPageSize(10).withMaxPages(3),
                PASSWORD, Clock.systemUTC());
        PollException e = pollFails(f);
        assertTrue(e.getMessage().contains("still more extensions after 3 pages of 10"), e.getMessage());
        assertEquals(3, sim.requestCount(TelecomXFetcher.EXTENSIONS_PATH));
    }

    // ---- authentication ----------------------------------------------------------------------------

    @Test
    void anExpiredTokenIsRefreshedExactlyOnce() {
        DemoScenario.initialExtensions().forEach(pbx::put);
        TelecomXFetcher f = fetcher(TelecomXMode.EMPLOYEES);
        poll(f);
        sim.expireTokens();
        assertEquals(pbx.size(), poll(f).size());
        assertEquals(2, sim.requestCount(LOGIN));
        assertEquals(3, sim.requestCount(EMPLOYEES), "the poll, its 401, the retry");
    }

    @Test
    void aRevokedTokenIsRefreshedExactlyOnce() {
        DemoScenario.initialExtensions().forEach(pbx::put);
        TelecomXFetcher f = fetcher(TelecomXMode.EMPLOYEES);
        poll(f);
        sim.revokeTokens();
        assertEquals(pbx.size(), poll(f).size());
        poll(f);
        assertEquals(2, sim.requestCount(LOGIN));
        assertEquals(2, sim.tokensIssued());
    }

    @Test
    void theCacheRenewsTheTokenBeforeItExpires() {
        MutableClock clock = new MutableClock();
        TelecomXFetcher f = fetcher(TelecomXFetcher.Options.defaults(TelecomXMode.EMPLOYEES), PASSWORD, clock);
        f.fetch();
        clock.advance(Duration.ofMinutes(13));
        f.fetch();
        assertEquals(1, sim.requestCount(LOGIN), "13 of 15 minutes: still good");
        clock.advance(Duration.ofMinutes(1));
        f.fetch();
        assertEquals(2, sim.requestCount(LOGIN), "renewed 90 s before expiry, without waiting for a 401");
        assertEquals(3, sim.requestCount(EMPLOYEES), "no request was refused");
    }

    @Test
    void aSecondUnauthorizedAfterAFreshLoginFailsClearly() {
        TelecomXFetcher f = fetcher(TelecomXMode.EMPLOYEES);
        f.fetch();
        sim.setRejectAllTokens(true);
        PollException e = pollFails(f);
        assertEquals("GET /pbx/app/employees?calls=true&standalone=true: HTTP 401 even with a fresh token: unauthorized: Invalid access token",
                e.getMessage());
        assertEquals(2, sim.requestCount(LOGIN), "exactly one refresh");
        sim.setRejectAllTokens(false);
        f.fetch();
    }

    @Test
    void aRefusedLoginFailsClearlyWithoutTheCredentials() {
        TelecomXFetcher f = fetcher(TelecomXFetcher.Options.defaults(TelecomXMode.EMPLOYEES), "wrong-" + PASSWORD, Clock.systemUTC());
        PollException e = pollFails(f);
        assertEquals("POST /auth/login: HTTP 401: unauthorized: Wrong username or password", e.getMessage());
        assertEquals(0, sim.requestCount(EMPLOYEES));
        assertFalse(f.toString().contains(PASSWORD) || f.toString().contains(USER), f.toString());
    }

    @Test
    void theTokenHeaderIsConfigurable() {
        sim.setTokenHeader("X-Auth-Token", "");
        TelecomXFetcher f = fetcher(new TelecomXFetcher.Options(TelecomXMode.EMPLOYEES, 1000, 10, "X-Auth-Token", "none"),
                PASSWORD, Clock.systemUTC());
        f.fetch();
        PollException e = pollFails(fetcher(TelecomXMode.EMPLOYEES));
        assertTrue(e.getMessage().endsWith("HTTP 401 even with a fresh token: unauthorized: Missing access token"), e.getMessage());
    }

    // ---- rate limits and failures ------------------------------------------------------------------

    @Test
    void a429WithRetryAfterIsWaitedOut() {
        DemoScenario.initialExtensions().forEach(pbx::put);
        TelecomXFetcher f = fetcher(TelecomXMode.EMPLOYEES);
        f.fetch();
        sim.rateLimitNext(1, 1);
        long start = System.nanoTime();
        assertEquals(pbx.size(), poll(f).size());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 950, "waited the second Retry-After asked for, took " + elapsedMs + " ms");
        assertTrue(elapsedMs < 4000, "and not much longer, took " + elapsedMs + " ms");
        assertEquals(1, sim.rateLimitedCount());
        assertEquals(3, sim.requestCount(EMPLOYEES));
    }

    @Test
    void theVendorsErrorMessageAppearsAndTheFetcherRecovers() {
        TelecomXFetcher f = fetcher(TelecomXMode.EMPLOYEES);
        sim.setAccessDenied(true);
        assertEquals("GET /pbx/app/employees?calls=true&standalone=true: HTTP 403: access_denied: Insufficient access level",
                pollFails(f).getMessage());
        sim.setAccessDenied(false);
        f.fetch();
    }

    @Test
    void http500IsAFailedPollAndTheFetcherRecovers() {
        TelecomXFetcher f = fetcher(TelecomXMode.EXTENSIONS);
        extensions(3);
        sim.setFailure("/pbx/", Failure.HTTP_500);
        assertEquals("GET /pbx/extension?offset=0&limit=1000&includePhones=true&sort=number: HTTP 500: internal_error: Simulated internal error",
                pollFails(f).getMessage());
        sim.clearFailures();
        assertEquals(3, poll(f).size());
    }

    @Test
    void malformedAndTruncatedBodiesAreNamed() {
        extensions(3);
        TelecomXFetcher employees = fetcher(TelecomXMode.EMPLOYEES);
        TelecomXFetcher pages = fetcher(TelecomXMode.EXTENSIONS);
        sim.setFailure("/pbx/", Failure.GARBAGE);
        assertTrue(assertThrows(PayloadException.class, () -> poll(employees)).getMessage()
                .startsWith("TelecomX employees payload: malformed JSON"));
        assertTrue(assertThrows(PayloadException.class, pages::fetch).getMessage()
                .startsWith("GET /pbx/extension?offset=0&limit=1000&includePhones=true&sort=number: malformed JSON"));
        sim.setFailure("/pbx/", Failure.TRUNCATED);
        assertTrue(assertThrows(PayloadException.class, () -> poll(employees)).getMessage()
                .startsWith("TelecomX employees payload: truncated JSON"));
        sim.clearFailures();
        assertEquals(3, poll(employees).size());
        assertEquals(3, poll(pages).size());
    }

    @Test
    void aHangingServerTimesOutAndTheFetcherRecovers() {
        extensions(3);
        TelecomXFetcher f = fetcher(TelecomXMode.EMPLOYEES);
        f.fetch();
        sim.setFailure("/pbx/", Failure.HANG);
        assertEquals("GET /pbx/app/employees?calls=true&standalone=true: timed out after 700 ms", pollFails(f).getMessage());
        sim.clearFailures();
        assertEquals(3, poll(f).size());
    }

    @Test
    void aHangingLoginTimesOutToo() {
        sim.setFailure(LOGIN, Failure.HANG);
        assertTrue(pollFails(fetcher(TelecomXMode.EMPLOYEES)).getMessage().startsWith("POST /auth/login: timed out"));
    }

    // ---- configuration -----------------------------------------------------------------------------

    /** The kamelet's parameters as text (KameletParameters), with these overrides. */
    private KameletParameters params(String baseUrl, String... overrides) {
        KameletParameters p = KameletParameters.of("sourceId", "tx", "baseUrl", baseUrl, "username", USER,
                "password", PASSWORD, "mode", "extensions", "pageSize", "500", "maxPages", String.valueOf(TelecomXFetcher.DEFAULT_MAX_PAGES),
                "timeoutMillis", "1000", "maxBodyBytes", "1000000", "insecureTls", "false", "tokenHeader", " ", "tokenScheme", "");
        for (int i = 0; i < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        return p;
    }

    @Test
    void theKameletFactoryAppliesDefaultsForBlankTexts() {
        TelecomXFetcher f = TelecomXKamelet.fetcher(params(sim.baseUrl()));
        fetchers.add(f);
        assertEquals(new TelecomXFetcher.Options(TelecomXMode.EXTENSIONS, 500, TelecomXFetcher.DEFAULT_MAX_PAGES, "Authorization", "Bearer"),
                f.options());
        extensions(3);
        assertEquals(3, poll(f).size());
        assertFalse(f.toString().contains(PASSWORD) || f.toString().contains(USER), f.toString());
    }

    @Test
    void passwordsThatLookLikeNumbersOrHoldCommasAndQuotesWork() {
        for (String pw : List.of("123456", "a,b'c\"d", "true", "#hash")) {
            TelecomXSimulator other = new TelecomXSimulator(pbx, "127.0.0.1", 0, USER, pw).start();
            try (TelecomXFetcher f = TelecomXKamelet.fetcher(params(other.baseUrl(), "password", pw, "mode", "", "pageSize", "1000",
                    "maxPages", "10"))) {
                f.fetch();
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void badParametersAreRefusedAtConstruction() {
        assertEquals("source 'tx': parameter pageSize must be a whole number from 1 to 1000, was '2000'",
                assertThrows(IllegalArgumentException.class,
                        () -> TelecomXKamelet.fetcher(params(sim.baseUrl(), "pageSize", "2000"))).getMessage());
        assertEquals("source 'tx': parameter mode must be employees or extensions, was 'users'", assertThrows(IllegalArgumentException.class,
                () -> TelecomXKamelet.fetcher(params(sim.baseUrl(), "mode", "users"))).getMessage());
        assertEquals("source 'tx': parameter timeoutMillis must be a whole number from 1 to 3600000, was '0'",
                assertThrows(IllegalArgumentException.class,
                        () -> TelecomXKamelet.fetcher(params(sim.baseUrl(), "timeoutMillis", "0"))).getMessage());
        IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class,
                () -> TelecomXKamelet.fetcher(params(sim.baseUrl(), "password", "")));
        assertTrue(noPassword.getMessage().contains("password are required"));
        KameletParameters p = params(sim.baseUrl());
        assertFalse(p.toString().contains(PASSWORD) || p.toString().contains(USER), p.toString());
    }
}
