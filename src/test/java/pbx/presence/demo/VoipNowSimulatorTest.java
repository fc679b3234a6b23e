package pbx.presence.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbx.presence.model.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VoipNow simulator speaks seed 001's API: OAuth, paging, filters, 204, the seed's 400 codes, 401, 429. */
class VoipNowSimulatorTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final SimulatedPbx pbx = new SimulatedPbx();
    private VoipNowSimulator sim;

    @BeforeEach
    void start() {
        IntStream.range(201, 226).forEach(i -> pbx.put(SimulatedExtension.of(String.valueOf(i), "User " + i)));
        sim = new VoipNowSimulator(pbx, "127.0.0.1", 0, "app", "secret").start();
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return CLIENT.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> token(String form) {
        return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + VoipNowSimulator.TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private String accessToken() {
        HttpResponse<String> r = token("grant_type=client_credentials&client_id=app&client_secret=secret");
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body()).path("access_token").asText();
    }

    private HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(s, e);
        }
    }

    @Test
    void issuesBearerTokensForItsClientOnly() {
        HttpResponse<String> ok = token("grant_type=client_credentials&client_id=app&client_secret=secret");
        JsonNode t = json(ok.body());
        assertEquals("Bearer", t.path("token_type").asText());
        assertEquals(3600, t.path("expires_in").asInt());
        assertTrue(t.path("access_token").asText().length() >= 32);
        HttpResponse<String> wrong = token("grant_type=client_credentials&client_id=app&client_secret=nope");
        assertEquals(401, wrong.statusCode());
        assertEquals("invalid_client", json(wrong.body()).path("error").asText());
        assertEquals(400, token("grant_type=password&client_id=app&client_secret=secret").statusCode());
        assertEquals(3, sim.tokenRequests());
    }

    @Test
    void pagesWithTheServersDefaultOfTwentyAndAnswersLikeTheSeed() {
        String token = accessToken();
        JsonNode first = json(get(VoipNowSimulator.PRESENCE_PATH, token).body());
        assertEquals(0, first.path("startIndex").asInt());
        assertEquals(25, first.path("totalResults").asInt());
        assertEquals(20, first.path("itemsPerPage").asInt());
        assertEquals(20, first.path("entry").size(), "without count, only 20: a client that does not page misses extensions");
        JsonNode e = first.path("entry").get(0);
        assertEquals("201", e.path("extension").asText());
        assertTrue(e.path("status").isNumber(), "as the seed: status a number");
        assertEquals(1, e.path("status").asInt());
        assertEquals("1", e.at("/registration/0/registration").textValue(), "as the seed: registration a string");
        assertEquals(SimulatedExtension.DEFAULT_USER_AGENT, e.at("/registration/0/agent").asText());
        JsonNode second = json(get(VoipNowSimulator.PRESENCE_PATH + "?count=20&startIndex=20", token).body());
        assertEquals(5, second.path("entry").size());
        assertEquals("225", second.at("/entry/4/extension").asText());
    }

    @Test
    void filtersByExtensionAndAnswers204WhenNothingMatches() {
        sim.setExtensionPrefix("0003*");
        String token = accessToken();
        JsonNode starts = json(get(VoipNowSimulator.PRESENCE_PATH + "?filterBy=extension&filterOp=startsWith&filterValue=0003*21", token).body());
        assertEquals(10, starts.path("totalResults").asInt());
        assertTrue(starts.path("filtered").asBoolean());
        JsonNode contains = json(get(VoipNowSimulator.PRESENCE_PATH + "?filterBy=extension&filterValue=22", token).body());
        assertEquals(List.of("0003*220", "0003*221", "0003*222", "0003*223", "0003*224", "0003*225"),
                contains.path("entry").findValuesAsText("extension"));
        HttpResponse<String> none = get(VoipNowSimulator.PRESENCE_PATH + "?filterBy=extension&filterOp=equals&filterValue=999", token);
        assertEquals(204, none.statusCode());
        assertEquals("", none.body());
        assertEquals("0003*207", json(get("/uapi/extensions/@me/0003*207/presence", token).body()).at("/entry/0/extension").asText());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "/uapi/extensions/@me/@self/presence?count=5001,                  count_invalid",
            "/uapi/extensions/@me/@self/presence?count=ten,                   count_invalid",
            "/uapi/extensions/@me/@self/presence?startIndex=5001,             startindex_invalid",
            "/uapi/extensions/@me/@self/presence?startIndex=-1,               startindex_invalid",
            "/uapi/extensions/@me/@self/presence?filterBy=status&filterValue=1, filterby_invalid",
            "/uapi/extensions/@me/@self/presence?filterBy=extension&filterOp=like&filterValue=1, filterop_invalid",
            "/uapi/extensions/@me/@self/presence?filterBy=extension&filterOp=equals, filtervalue_invalid",
            "/uapi/extensions/@me/@self/presence?sortOrder=up,                sortorder_invalid",
            "/uapi/extensions/@me/@self/presence?fields=extension%2Canswered, fields_invalid",
            "/uapi/extensions/@me/999/presence,                               extension_invalid",
    })
    void badRequestsGetTheSeedsErrorCodes(String pathAndQuery, String code) {
        HttpResponse<String> r = get(pathAndQuery, accessToken());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals(code, json(r.body()).at("/error/code").asText());
        assertTrue(json(r.body()).at("/error/message").asText().startsWith("Value supplied in"), r.body());
    }

    @Test
    void enforcesTheToken() {
        assertEquals("invalid_request", json(get(VoipNowSimulator.PRESENCE_PATH, null).body()).at("/error/code").asText());
        HttpResponse<String> unknown = get(VoipNowSimulator.PRESENCE_PATH, "made-up");
        assertEquals(401, unknown.statusCode());
        assertEquals("invalid_token", json(unknown.body()).at("/error/code").asText());
        String token = accessToken();
        assertEquals(200, get(VoipNowSimulator.PRESENCE_PATH, token).statusCode());
        sim.expireTokens();
        HttpResponse<String> expired = get(VoipNowSimulator.PRESENCE_PATH, token);
        assertEquals(401, expired.statusCode());
        assertTrue(expired.body().contains("expired"), expired.body());
    }

    @Test
    void rateLimitsWithRetryAfter() {
        String token = accessToken();
        sim.rateLimitNext(1, 7);
        HttpResponse<String> limited = get(VoipNowSimulator.PRESENCE_PATH, token);
        assertEquals(429, limited.statusCode());
        assertEquals("7", limited.headers().firstValue("Retry-After").orElse(""));
        assertEquals(200, get(VoipNowSimulator.PRESENCE_PATH, token).statusCode());
    }

    @Test
    void mapsCallsAndRegistrationOntoStatusAndRegistration() {
        pbx.update("201", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.RINGING, "+1")));
        pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+2")));
        pbx.update("203", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.DIALING, "+3")));
        pbx.update("204", e -> e.withRegistered(false));
        pbx.update("205", e -> e.withEnabled(false));
        sim.setNumberStyle(VoipNowSimulator.NumberStyle.STRINGS);
        JsonNode page = json(get(VoipNowSimulator.PRESENCE_PATH + "?count=6", accessToken()).body());
        assertEquals("25", page.path("totalResults").textValue(), "STRINGS writes header numbers as strings too");
        assertEquals(List.of("2", "3", "3", "0", "0", "1"), page.path("entry").findValuesAsText("status"));
        List<String> registration = new java.util.ArrayList<>();
        page.path("entry").forEach(e -> registration.add(e.at("/registration/0/registration").textValue()));
        assertEquals(List.of("1", "1", "1", "-1", "-1", "1"), registration);
    }
}
