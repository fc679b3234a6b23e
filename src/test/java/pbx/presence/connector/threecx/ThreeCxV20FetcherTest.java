package pbx.presence.connector.threecx;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.demo.Failure;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.demo.SimulatedPbx;
import pbx.presence.demo.ThreeCxV20Simulator;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.KameletParameters;
import pbx.presence.connector.PollException;
import pbx.presence.connector.http.VendorHttp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real {@link ThreeCxV20Simulator} on loopback. */
class ThreeCxV20FetcherTest {

    private static final String CLIENT = "900";
    private static final String SECRET = "s3cr3t-api-key-never-logged";
    private static final Instant NOW = Instant.parse("2026-11-22T10:15:03.120Z");

    private final SimulatedPbx pbx = new SimulatedPbx();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ThreeCxV20Simulator sim;

    @BeforeEach
    void startSimulator() {
        sim = new ThreeCxV20Simulator(pbx, "127.0.0.1", 0, CLIENT, SECRET).start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        sim.stop();
    }

    private void extensions(int count) {
        for (int i = 0; i < count; i++) {
            String n = String.valueOf(10_000 + i);
            pbx.put(SimulatedExtension.of(n, "User " + n));
        }
    }

    private ThreeCxV20Fetcher fetcher(int pageSize) {
        return fetcher(pageSize, ThreeCxV20Fetcher.DEFAULT_MAX_USERS, Duration.ofSeconds(5), SECRET);
    }

    private ThreeCxV20Fetcher fetcher(int pageSize, int maxUsers, Duration timeout, String secret) {
        VendorHttp.Settings http = new VendorHttp.Settings(timeout, timeout, 64L * 1024 * 1024, Duration.ofSeconds(30), true);
        ThreeCxV20Fetcher f = new ThreeCxV20Fetcher(sim.baseUrl(), CLIENT, secret,
                new ThreeCxV20Fetcher.Settings(pageSize, maxUsers, http), Clock.systemUTC());
        closeables.add(f);
        return f;
    }

    private static List<ExtensionPresence> translate(ThreeCxV20Payload payload) {
        return new ThreeCxV20Translator("hq-v20", ThreeCxProfileMapping.defaults()).translate(payload, NOW);
    }

    private List<String> numbers() {
        return pbx.all().stream().map(SimulatedExtension::number).toList();
    }

    private static List<String> numbers(List<ExtensionPresence> out) {
        return out.stream().map(ExtensionPresence::extension).toList();
    }

    private static PollException pollFails(ThreeCxV20Fetcher f) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(PollException.class, f::fetch));
    }

    private long usersRequests() {
        return sim.requestCount(ThreeCxV20Simulator.USERS_PATH);
    }

    private long tokenRequests() {
        return sim.requestCount(ThreeCxV20Simulator.TOKEN_PATH);
    }

    @Test
    void aPollOfSeveralPagesIsCompleteAndJoinedToCallControl() {
        extensions(250);
        pbx.update("10007", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.RINGING, "+4930123456")));
        pbx.update("10249", e -> e.withProfile(SimulatedExtension.CUSTOM_1));

        List<ExtensionPresence> out = translate(fetcher(100).fetch());

        assertEquals(numbers(), numbers(out));
        assertEquals(3, usersRequests(), "100 + 100 + 50: the short page ends the poll");
        assertEquals(1, sim.requestCount(ThreeCxV20Simulator.CALL_CONTROL_PATH), "one call control request per poll");
        assertEquals(1, tokenRequests());
        assertEquals(LineState.RINGING, out.get(7).line());
        assertEquals(Presence.CUSTOM, out.get(249).presence());
        assertEquals("Available2", out.get(249).presenceLabel());
        assertEquals("User 10000", out.get(0).name());
        assertEquals(SimulatedExtension.DEFAULT_USER_AGENT, out.get(0).devices().get(0).userAgent());
    }

    @Test
    void twelveThousandUsersInOnePoll() {
        extensions(12_000);
        ThreeCxV20Fetcher f = fetcher(100);
        List<ExtensionPresence> out = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> translate(f.fetch()));
        assertEquals(12_000, out.size());
        assertEquals(numbers(), numbers(out), "every user once, in order");
        assertEquals(120, usersRequests(), "@odata.count says the 120th page completes the poll");
        assertTrue(out.stream().allMatch(p -> p.line() == LineState.IDLE), "every user joined to its call control DN");
    }

    @Test
    void serverDrivenPagingFollowsNextLink() {
        extensions(250);
        sim.setNextLinks(true);
        sim.setMaxPageSize(40);
        assertEquals(numbers(), numbers(translate(fetcher(100).fetch())));
        assertEquals(7, usersRequests(), "40 per page as the server decides");
    }

    @Test
    void aServerCappingThePageSizeWithoutNextLinkStillGivesEveryUser() {
        extensions(250);
        sim.setMaxPageSize(40);
        assertEquals(numbers(), numbers(translate(fetcher(100).fetch())),
                "a page shorter than $top is not the end while @odata.count says users are missing");
    }

    @Test
    void aServerIgnoringSkipFailsInsteadOfPollingForever() {
        extensions(250);
        sim.setIgnoreSkip(true);
        PollException e = pollFails(fetcher(100));
        assertTrue(e.getMessage().contains("page 2 starts with user 10000 again, like page 1"), e.getMessage());
        assertTrue(e.getMessage().startsWith("GET /xapi/v1/Users?$top=100&$skip=100"), e.getMessage());
        assertEquals(2, usersRequests());
    }

    @Test
    void moreUsersThanMaxUsersFails() {
        extensions(250);
        PollException e = pollFails(fetcher(100, 150, Duration.ofSeconds(5), SECRET));
        assertTrue(e.getMessage().contains("more than 150 users after 2 pages"), e.getMessage());
    }

    @Test
    void theTokenIsCachedAcrossPolls() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100);
        f.fetch();
        f.fetch();
        f.fetch();
        assertEquals(1, tokenRequests());
        assertEquals(1, sim.tokensIssued());
    }

    @Test
    void aRevokedTokenIsRefreshedExactlyOnce() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100);
        f.fetch();
        sim.revokeTokens();
        assertEquals(3, translate(f.fetch()).size());
        assertEquals(2, tokenRequests());
        assertEquals(3, usersRequests(), "one page, one 401 and its retry");
        f.fetch();
        assertEquals(2, tokenRequests(), "the fresh token is cached again");
    }

    @Test
    void anExpiredTokenIsRefreshedExactlyOnce() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100);
        f.fetch();
        sim.expireTokens();
        assertEquals(3, translate(f.fetch()).size());
        assertEquals(2, tokenRequests());
    }

    @Test
    void aSecond401AfterTheRefreshFailsClearlyAndTheFetcherRecovers() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100);
        f.fetch();
        sim.setRejectAllTokens(true);
        PollException e = pollFails(f);
        assertTrue(e.getMessage().startsWith("GET /xapi/v1/Users?$top=100&$skip=0"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 401 even with a fresh token: invalid_token: The access token was rejected"),
                e.getMessage());
        assertEquals(2, tokenRequests(), "refreshed once, not in a loop");
        sim.setRejectAllTokens(false);
        assertEquals(3, translate(f.fetch()).size());
    }

    @Test
    void aWrongSecretFailsAtTheTokenEndpointWithoutShowingIt() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100, 1000, Duration.ofSeconds(5), "wrong-secret-value");
        PollException e = pollFails(f);
        assertEquals("POST /connect/token: token request refused, HTTP 401: invalid_client: Client authentication failed", e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret-value"));
        assertFalse(f.toString().contains("wrong-secret-value"), f.toString());
        assertTrue(f.toString().contains("secret redacted"), f.toString());
        assertEquals(0, usersRequests(), "no API request without a token");
    }

    @Test
    void a429WithRetryAfterIsWaitedOut() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100);
        f.fetch();
        sim.rateLimitNext(1, 1);
        long start = System.nanoTime();
        ThreeCxV20Payload payload = f.fetch();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, translate(payload).size());
        assertTrue(elapsedMs >= 950, "waited Retry-After 1 s, took " + elapsedMs + " ms");
        assertTrue(elapsedMs < 4000, "waited once, took " + elapsedMs + " ms");
        assertEquals(1 + 2, usersRequests(), "the 429 and its retry");
    }

    @Test
    void aVendorErrorBodyAppearsInTheFailure() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100);
        sim.setApiError(403, "Forbidden", "The API client has no access to the Configuration API");
        PollException e = pollFails(f);
        assertTrue(e.getMessage().contains("HTTP 403: Forbidden: The API client has no access to the Configuration API"),
                e.getMessage());
        sim.clearApiError();
        assertEquals(3, translate(f.fetch()).size());
    }

    @Test
    void http500FailsNamingThePathAndTheFetcherRecovers() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100);
        sim.setFailure(ThreeCxV20Simulator.CALL_CONTROL_PATH, Failure.HTTP_500);
        PollException e = pollFails(f);
        assertEquals("GET /callcontrol: HTTP 500: InternalServerError: simulated internal server error", e.getMessage());
        sim.clearFailures();
        assertEquals(3, translate(f.fetch()).size());
    }

    @Test
    void aMalformedUsersPageFailsTheFetchNamingThePage() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100);
        sim.setFailure(ThreeCxV20Simulator.USERS_PATH, Failure.GARBAGE);
        PollException e = pollFails(f);
        assertTrue(e.getMessage().startsWith("GET /xapi/v1/Users?$top=100&$skip=0"), e.getMessage());
        assertTrue(e.getMessage().contains("3CX v20 payload: Users page 1: malformed JSON"), e.getMessage());
        assertTrue(e.getCause() instanceof PayloadException);
        sim.setFailure(ThreeCxV20Simulator.USERS_PATH, Failure.TRUNCATED);
        assertTrue(pollFails(f).getMessage().contains("Users page 1: truncated JSON"));
        sim.clearFailures();
        assertEquals(3, translate(f.fetch()).size());
    }

    @Test
    void aMalformedCallControlBodyFailsInTheTranslator() {
        extensions(3);
        sim.setFailure(ThreeCxV20Simulator.CALL_CONTROL_PATH, Failure.GARBAGE);
        ThreeCxV20Payload payload = fetcher(100).fetch();
        PayloadException e = assertThrows(PayloadException.class, () -> translate(payload));
        assertTrue(e.getMessage().contains("/callcontrol: malformed JSON"), e.getMessage());
    }

    @Test
    void aHangingPbxTimesOutAndTheFetcherRecovers() {
        extensions(3);
        ThreeCxV20Fetcher f = fetcher(100, 1000, Duration.ofMillis(500), SECRET);
        sim.setFailure(ThreeCxV20Simulator.CALL_CONTROL_PATH, Failure.HANG);
        PollException e = pollFails(f);
        assertEquals("GET /callcontrol: timed out after 500 ms", e.getMessage());
        sim.clearFailures();
        assertEquals(3, translate(f.fetch()).size());
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() throws IOException {
        AtomicInteger users = new AtomicInteger();
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.equals("/connect/token")
                    ? "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"t\"}"
                    : "{\"value\":[{\"Number\":\"" + (201 + users.getAndIncrement()) + "\"}],"
                      + "\"@odata.nextLink\":\"https://elsewhere.example.com/xapi/v1/Users?$skip=1\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        fake.start();
        try (ThreeCxV20Fetcher f = ThreeCxV20Kamelet.fetcher(params("baseUrl", "http://127.0.0.1:" + fake.getAddress().getPort(),
                "pageSize", "100", "timeoutMillis", "2000"))) {
            PollException e = pollFails(f);
            assertTrue(e.getMessage().contains("@odata.nextLink points outside the PBX (https://elsewhere.example.com/xapi/v1/Users)"),
                    e.getMessage());
            assertEquals(1, users.get());
        } finally {
            fake.stop(0);
        }
    }

    /** The kamelet's parameters as text (KameletParameters), with these overrides. */
    private KameletParameters params(String... overrides) {
        KameletParameters p = KameletParameters.of("sourceId", "hq-v20", "baseUrl", sim.baseUrl(), "clientId", CLIENT,
                "clientSecret", SECRET);
        for (int i = 0; i < overrides.length; i += 2) {
            p.put(overrides[i], overrides[i + 1]);
        }
        return p;
    }

    @Test
    void kameletFactoryReadsTextAndNamesBadOptions() {
        try (ThreeCxV20Fetcher f = ThreeCxV20Kamelet.fetcher(params("baseUrl", sim.baseUrl() + "/", "clientSecret", SECRET + "\n",
                "pageSize", "", "timeoutMillis", "", "maxBodyBytes", "", "insecureTls", "", "maxUsers", ""))) {
            assertEquals(ThreeCxV20Fetcher.DEFAULT_PAGE_SIZE, f.settings().pageSize());
            assertEquals(ThreeCxV20Fetcher.DEFAULT_MAX_USERS, f.settings().maxUsers());
            assertTrue(f.settings().http().verifyTls());
            extensions(2);
            assertEquals(2, translate(f.fetch()).size(), "the secret's trailing newline is not part of it");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThreeCxV20Kamelet.fetcher(params("pageSize", "lots")));
        assertEquals("source 'hq-v20': parameter pageSize must be a whole number from 1 to 10000, was 'lots'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ThreeCxV20Kamelet.fetcher(params("pageSize", "0")));
        assertTrue(e.getMessage().contains("pageSize must be a whole number from 1 to 10000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ThreeCxV20Kamelet.fetcher(params("insecureTls", "yes")));
        assertTrue(e.getMessage().contains("parameter insecureTls must be true or false, was 'yes'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ThreeCxV20Kamelet.fetcher(params("clientSecret", " ")));
        assertFalse(e.getMessage().contains(SECRET));
        assertThrows(IllegalArgumentException.class, () -> ThreeCxV20Kamelet.fetcher(params("baseUrl", "ftp://pbx.example.com")));
    }
}
