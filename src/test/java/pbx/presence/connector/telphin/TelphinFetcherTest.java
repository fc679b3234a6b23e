package pbx.presence.connector.telphin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.demo.Failure;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.TelphinSimulator;
import pbx.presence.model.Availability;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Reason;
import pbx.presence.model.Registration;
import pbx.presence.connector.KameletParameters;
import pbx.presence.connector.PollException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real {@link TelphinSimulator} on loopback. */
class TelphinFetcherTest {

    private static final String CLIENT_ID = "presence-app";
    private static final String SECRET = "s3cret-Do-Not-Log";
    private static final String API = "/api/ver1.0/client/@me/";

    private final SimulatedPbx pbx = new SimulatedPbx();
    private final List<TelphinFetcher> fetchers = new ArrayList<>();
    private TelphinSimulator sim;

    @BeforeEach
    void start() {
        pbx.put(SimulatedExtension.of("201", "Alice Andersen")
                .withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        pbx.put(SimulatedExtension.of("202", "Bob Brown").withProfile(SimulatedExtension.OUT_OF_OFFICE));
        pbx.put(SimulatedExtension.of("203", "Carol Schulz").withRegistered(false));
        pbx.put(SimulatedExtension.of("204", "Dan Dvořák").withEnabled(false));
        pbx.put(SimulatedExtension.of("205", "Eve Evans").withChatStatus(SimulatedExtension.CHAT_DND));
        sim = new TelphinSimulator(pbx, "127.0.0.1", 0, CLIENT_ID, SECRET).start();
    }

    @AfterEach
    void stop() {
        fetchers.forEach(TelphinFetcher::close);
        sim.stop();
    }

    private TelphinFetcher fetcher(int pageSize) {
        return fetcher(settings(pageSize, 2000), SECRET);
    }

    private TelphinFetcher fetcher(TelphinFetcher.Settings settings) {
        return fetcher(settings, SECRET);
    }

    private TelphinFetcher.Settings settings(int pageSize, long timeoutMillis) {
        return new TelphinFetcher.Settings(sim.baseUrl(), "@me", pageSize, 100, Duration.ofMillis(timeoutMillis),
                64L * 1024 * 1024, false, TelphinFetcher.DEFAULT_REGISTRATION_PATH, 8, true);
    }

    private TelphinFetcher fetcher(TelphinFetcher.Settings settings, String secret) {
        TelphinFetcher f = new TelphinFetcher(settings, CLIENT_ID, secret, Clock.systemUTC());
        fetchers.add(f);
        return f;
    }

    private static Map<String, ExtensionPresence> translate(TelphinPayload payload) {
        return new TelphinTranslator("hq").translate(payload, Instant.now()).stream()
                .collect(Collectors.toMap(ExtensionPresence::extension, Function.identity()));
    }

    private static PollException pollFails(TelphinFetcher f) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(PollException.class, f::fetch));
    }

    private long pageRequests() {
        return sim.requestCount(API + "extension/");
    }

    @Test
    void aPollOfSeveralPagesIsCompleteAndMapsTheSimulatedState() {
        TelphinFetcher f = fetcher(2);
        Map<String, ExtensionPresence> out = translate(f.fetch());

        assertEquals(3, pageRequests(), "pages of 2, 2 and 1");
        assertEquals(List.of("201", "202", "203", "204", "205"), out.keySet().stream().sorted().toList());
        assertEquals(LineState.TALKING, out.get("201").line());
        assertEquals(Availability.BUSY, out.get("201").availability());
        assertEquals(Registration.REGISTERED, out.get("201").registration());
        assertEquals("Out of office", out.get("202").presenceLabel());
        assertEquals(Availability.DND, out.get("202").availability(), "Out of office allows no inbound calls");
        assertEquals(Registration.NOT_REGISTERED, out.get("203").registration());
        assertEquals(Availability.OFFLINE, out.get("203").availability());
        assertFalse(out.get("204").enabled());
        assertEquals(Registration.UNKNOWN, out.get("204").registration(), "a blocked extension's registration is not asked");
        assertEquals(0, sim.requestCount("/api/ver1.0/extension/" + sim.extensionId("204") + "/registration/"));
        assertEquals("Do not disturb", out.get("205").presenceLabel());
        assertEquals(List.of(Reason.CALLS_BLOCKED_BY_STATUS, Reason.PROFILE_CUSTOM), out.get("205").reasons());
        assertEquals(1, sim.tokenRequestCount());
    }

    @Test
    void twelveThousandExtensionsInOnePoll() {
        pbx.clear();
        for (int i = 0; i < 12_000; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(100_000 + i), "User " + i));
        }
        // registration off: 12,000 per-extension requests per poll is what a large client should not do
        TelphinFetcher f = fetcher(new TelphinFetcher.Settings(sim.baseUrl(), "@me", 500, 100, Duration.ofSeconds(5),
                64L * 1024 * 1024, false, null, 1, true), SECRET);
        List<ExtensionPresence> out = new TelphinTranslator("big").translate(f.fetch(), Instant.now());

        assertEquals(12_000, out.size());
        assertEquals(12_000, new HashSet<>(out.stream().map(ExtensionPresence::extension).toList()).size());
        assertEquals("100000", out.get(0).extension());
        assertEquals("111999", out.get(11_999).extension());
        assertEquals(25, pageRequests(), "24 full pages of 500, then an empty one ends the list");
        assertTrue(out.stream().allMatch(p -> p.line() == LineState.IDLE && p.presence() == Presence.AVAILABLE));
    }

    @Test
    void registrationsAreFetchedConcurrentlyForEveryActiveExtension() {
        pbx.clear();
        for (int i = 0; i < 120; i++) {
            SimulatedExtension e = SimulatedExtension.of(Integer.toString(300 + i), "User " + i);
            pbx.put(i % 10 == 0 ? e.withEnabled(false) : i % 10 == 1 ? e.withRegistered(false) : e);
        }
        List<ExtensionPresence> out = new TelphinTranslator("regs").translate(fetcher(50).fetch(), Instant.now());
        assertEquals(120, out.size());
        assertEquals(108, sim.requestCountWithPrefix("/api/ver1.0/extension/"), "one request per active extension");
        assertEquals(12, out.stream().filter(p -> p.registration() == Registration.NOT_REGISTERED).count());
        assertEquals(96, out.stream().filter(p -> p.registration() == Registration.REGISTERED).count());
        assertEquals(12, out.stream().filter(p -> p.registration() == Registration.UNKNOWN && !p.enabled()).count());
    }

    @Test
    void aServerThatCapsPerPageIsStillReadToTheEnd() {
        sim.setMaxPageSize(2);
        Map<String, ExtensionPresence> out = translate(fetcher(4).fetch());
        assertEquals(5, out.size());
        assertEquals(3, pageRequests(), "2, 2, 1: the short third page ends it");
    }

    @Test
    void aShortFirstPageIsConfirmedByAnEmptyOne() {
        translate(fetcher(100).fetch());
        assertEquals(2, pageRequests());
    }

    @Test
    void aServerThatIgnoresThePageParameter() {
        sim.setIgnorePageParameter(true);
        assertEquals(5, translate(fetcher(100).fetch()).size(), "a short page sent again: it was the whole list");

        PollException e = pollFails(fetcher(2));
        assertEquals("GET /api/ver1.0/client/@me/extension/?type=phone&page=2&per_page=2: page 2 repeats page 1"
                + " (the server ignores the page parameter, so the list cannot be read completely)", e.getMessage());
    }

    @Test
    void aListThatNeverEndsIsCappedByMaxPages() {
        TelphinFetcher f = fetcher(new TelphinFetcher.Settings(sim.baseUrl(), "@me", 1, 3, Duration.ofSeconds(2),
                1 << 20, false, null, 1, false), SECRET);
        PollException e = pollFails(f);
        assertTrue(e.getMessage().startsWith("GET /api/ver1.0/client/@me/extension/?type=phone&page=4&per_page=1: "
                + "the extension list did not end within maxPages=3 pages of 1"), e.getMessage());
    }

    @Test
    void theTokenIsCachedAndARevokedOneIsRefreshedExactlyOnce() {
        TelphinFetcher f = fetcher(100);
        f.fetch();
        f.fetch();
        assertEquals(1, sim.tokenRequestCount(), "cached between polls");

        sim.revokeTokens();
        assertEquals(5, translate(f.fetch()).size());
        assertEquals(2, sim.tokenRequestCount(), "one refresh after the 401");

        sim.expireTokens();
        f.fetch();
        assertEquals(3, sim.tokenRequestCount(), "an expired token: one refresh");
        f.fetch();
        assertEquals(3, sim.tokenRequestCount());
    }

    @Test
    void a401AfterTheRefreshFailsThePollClearly() {
        TelphinFetcher f = fetcher(100);
        f.fetch();
        sim.setRejectAllTokens(true);
        PollException e = pollFails(f);
        assertEquals("GET /api/ver1.0/client/@me/extension/call_status/: HTTP 401 even with a fresh token: Access token rejected",
                e.getMessage());
        assertEquals(2, sim.tokenRequestCount(), "exactly one refresh, then give up");
        sim.setRejectAllTokens(false);
        assertEquals(5, translate(f.fetch()).size(), "usable again");
    }

    @Test
    void wrongCredentialsNameTheTokenRequestNotTheSecret() {
        TelphinFetcher f = fetcher(settings(100, 2000), "wrong-" + SECRET);
        PollException e = pollFails(f);
        assertTrue(e.getMessage().startsWith("POST /oauth/token: token request refused, HTTP 401: invalid_client: Client authentication failed"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
        assertFalse(f.toString().contains(SECRET), f.toString());
        assertTrue(f.toString().contains("secret redacted"), f.toString());
    }

    @Test
    void a429IsWaitedOutAsRetryAfterAsks() {
        TelphinFetcher f = fetcher(100);
        f.fetch();
        sim.rateLimitNext(1, 1);
        long start = System.nanoTime();
        assertEquals(5, translate(f.fetch()).size());
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 950, "waited " + ms + " ms, Retry-After asked for 1 s");
        assertTrue(ms < 5000, "waited " + ms + " ms");
    }

    @Test
    void theVendorsErrorMessageAppearsInThePollException() {
        TelphinFetcher f = fetcher(new TelphinFetcher.Settings(sim.baseUrl(), "4711", 100, 100, Duration.ofSeconds(2),
                1 << 20, false, null, 1, false), SECRET);
        assertEquals("GET /api/ver1.0/client/4711/extension/call_status/: HTTP 404: Client 4711 not found", pollFails(f).getMessage());
    }

    @Test
    void serverErrorMalformedBodiesAndHangsFailThePollAndTheFetcherRecovers() {
        TelphinFetcher f = fetcher(settings(2, 500));
        f.fetch();

        sim.setFailure(Failure.HTTP_500);
        assertEquals("GET /api/ver1.0/client/@me/extension/call_status/: HTTP 500: Internal server error", pollFails(f).getMessage());
        sim.clearFailures();

        sim.setFailure(API + "extension/call_status", Failure.GARBAGE);
        assertTrue(pollFails(f).getMessage().startsWith(
                "GET /api/ver1.0/client/@me/extension/call_status/: statuses: malformed JSON (line 1, column 1)"));
        sim.clearFailures();

        sim.setFailure("/api/ver1.0/extension/", Failure.TRUNCATED);
        String truncated = pollFails(f).getMessage();
        assertTrue(truncated.matches("GET /api/ver1\\.0/extension/\\d+/registration/: registration of extension id \\d+: "
                + "(truncated|malformed) JSON.*"), truncated);
        sim.clearFailures();

        sim.setFailure(API + "current_calls", Failure.HANG);
        assertEquals("GET /api/ver1.0/client/@me/current_calls/: timed out after 500 ms", pollFails(f).getMessage());
        sim.clearFailures();

        assertEquals(5, translate(f.fetch()).size(), "the same fetcher works again");
        assertEquals(1, sim.tokenRequestCount(), "failures did not cost the token");
    }

    @Test
    void registrationAndCallsCanBeSwitchedOff() {
        TelphinFetcher f = fetcher(new TelphinFetcher.Settings(sim.baseUrl(), TelphinSimulator.ACCOUNT_ID, 100, 100,
                Duration.ofSeconds(2), 1 << 20, false, null, 1, false), SECRET);
        TelphinPayload payload = f.fetch();
        assertEquals(Map.of(), payload.registrations());
        assertEquals(null, payload.currentCalls());
        assertEquals(0, sim.requestCountWithPrefix("/api/ver1.0/extension/"));
        assertEquals(0, sim.requestCountWithPrefix("/api/ver1.0/client/" + TelphinSimulator.ACCOUNT_ID + "/current_calls"));
        ExtensionPresence alice = translate(payload).get("201");
        assertEquals(Registration.UNKNOWN, alice.registration());
        assertEquals(LineState.UNKNOWN, alice.line());
    }

    /** The kamelet's parameters as text (KameletParameters), with these overrides. */
    private KameletParameters params(String... overrides) {
        KameletParameters p = KameletParameters.of("sourceId", "telphin", "baseUrl", sim.baseUrl(), "clientId", CLIENT_ID,
                "clientSecret", SECRET, "accountId", "@me", "pageSize", "50", "maxPages", "10", "timeoutMillis", "2000",
                "maxBodyBytes", "1048576", "insecureTls", "false", "registration", "true",
                "registrationPath", TelphinFetcher.DEFAULT_REGISTRATION_PATH, "registrationConcurrency", "4", "currentCalls", "true");
        for (int i = 0; i < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        return p;
    }

    @Test
    void kameletTextIsParsedWithClearMessages() {
        TelphinFetcher f = TelphinKamelet.fetcher(params("baseUrl", sim.baseUrl() + "/api/ver1.0/"));
        fetchers.add(f);
        assertEquals(5, translate(f.fetch()).size(), "a pasted /api/ver1.0/ suffix is ignored");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TelphinKamelet.fetcher(params("pageSize", "lots", "registrationPath", "x/{id}/")));
        assertEquals("source 'telphin': parameter pageSize must be a whole number from 1 to 10000, was 'lots'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TelphinKamelet.fetcher(params("pageSize", "10", "registrationPath", "extension/registration/")));
        assertTrue(e.getMessage().startsWith("source 'telphin': registrationPath must contain {id}"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TelphinKamelet.fetcher(params("pageSize", "10", "insecureTls", "maybe", "registrationPath", "x/{id}/")));
        assertEquals("source 'telphin': parameter insecureTls must be true or false, was 'maybe'", e.getMessage());
    }
}
