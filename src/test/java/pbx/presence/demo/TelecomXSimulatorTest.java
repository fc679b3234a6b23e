package pbx.presence.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TelecomX simulator answers like the API of seed 004 and enforces its login. */
class TelecomXSimulatorTest {

    private static final String USER = "api@duck.example";
    private static final String PASSWORD = "pa55,word";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final SimulatedPbx pbx = new SimulatedPbx();
    private TelecomXSimulator sim;

    @BeforeEach
    void start() {
        DemoScenario.initialExtensions().forEach(pbx::put);
        sim = new TelecomXSimulator(pbx, "127.0.0.1", 0, USER, PASSWORD).start();
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

    private HttpResponse<String> login(String body) {
        return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/auth/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String token() {
        return json(login("{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}")).path("token").asText();
    }

    private HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, json(r).path("code").asText());
        assertEquals(message, json(r).path("message").asText());
    }

    @Test
    void loginAnswersAsDocumented() {
        JsonNode n = json(login("{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\"}"));
        assertEquals(40, n.path("token").asText().length());
        assertEquals(15, n.path("expiresInMinutes").asInt());
        assertEquals("OWNER", n.path("accessLevel").asText());
        assertEquals(1, sim.tokensIssued());
        assertError(login("{\"username\":\"" + USER + "\",\"password\":\"nope\"}"), 401, "unauthorized", "Wrong username or password");
        assertError(login("not json"), 400, "bad_request", "Body must be a JSON object");
        assertEquals(3, sim.requestCount("/auth/login"));
    }

    @Test
    void everyOtherPathNeedsAGoodToken() {
        String id = TelecomXSimulator.extensionId("201");
        assertError(get("/pbx/extension/" + id, null), 401, "unauthorized", "Missing access token");
        assertError(get("/pbx/extension/" + id, "0123456789"), 401, "unauthorized", "Invalid access token");
        String token = token();
        assertEquals(200, get("/pbx/extension/" + id, token).statusCode());
        sim.expireTokens();
        assertError(get("/pbx/extension/" + id, token), 401, "unauthorized", "Access token expired");
        String fresh = token();
        sim.revokeTokens();
        assertError(get("/pbx/extension/" + id, fresh), 401, "unauthorized", "Invalid access token");
    }

    @Test
    void oneExtensionIsSeedShapedWithPhonesOnRequest() {
        String token = token();
        JsonNode e = json(get("/pbx/extension/" + TelecomXSimulator.extensionId("201") + "?includePhones=true", token));
        assertEquals("201", e.path("number").asText());
        assertEquals("EXTENSION", e.path("type").asText());
        assertEquals("Alice Andersen", e.path("name").asText());
        assertEquals("AVAILABLE", e.path("onPresenceOffWork").asText());
        assertEquals("BUSY", e.path("onPresenceHoliday").asText());
        assertEquals("BUSY", e.path("onPresenceBusy").asText());
        assertTrue(e.path("callWaiting").asBoolean());
        JsonNode phone = e.path("phones").get(0);
        assertEquals("SIP", phone.path("type").asText());
        assertTrue(phone.path("online").asBoolean());
        assertFalse(phone.path("dnd").asBoolean());
        assertTrue(json(get("/pbx/extension/" + TelecomXSimulator.extensionId("201"), token)).path("phones").isMissingNode());
        assertError(get("/pbx/extension/123456789012345678901234", token), 404, "not_found", "Extension not found");
        assertError(get("/pbx/extension/201", token), 400, "bad_request", "Id not found in requestURI");
    }

    @Test
    void theListPagesWithTheApisDefaultLimit() {
        for (int i = 0; i < 114; i++) {
            pbx.put(SimulatedExtension.of(Integer.toString(300 + i), "User " + i));
        }
        String token = token();
        JsonNode first = json(get("/pbx/extension?sort=number", token));
        assertEquals(120, first.path("total").asInt());
        assertEquals(50, first.path("extensions").size());
        assertEquals("201", first.path("extensions").get(0).path("number").asText());
        JsonNode last = json(get("/pbx/extension?offset=100&limit=50&sort=number", token));
        assertEquals(20, last.path("extensions").size());
        assertError(get("/pbx/extension?limit=1001", token), 400, "bad_request",
                "limit must be between 1 and 1000 and offset not negative");
        sim.setListShape(TelecomXSimulator.ListShape.ARRAY);
        assertEquals(3, json(get("/pbx/extension?limit=3", token)).size());
    }

    @Test
    void employeesCarryPresenceStateAndCallsAsAsked() {
        pbx.update("202", e -> e.withProfile(SimulatedExtension.OUT_OF_OFFICE)
                .withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.RINGING, "+4570305050")));
        pbx.update("203", e -> e.withRegistered(false));
        sim.setStandalone("206", true);
        String token = token();
        JsonNode all = json(get("/pbx/app/employees?calls=true&standalone=true", token));
        assertEquals(6, all.size());
        JsonNode bob = all.get(1);
        assertEquals("EMPLOYEE", bob.path("type").asText());
        assertEquals("OFF_WORK", bob.at("/presence/state").asText());
        JsonNode ext = bob.path("extensions").get(0);
        assertEquals("RINGING", ext.path("state").asText());
        assertEquals("RINGING", ext.at("/calls/0/state").asText());
        assertEquals("IN", ext.at("/calls/0/direction").asText());
        assertEquals("UNAVAILABLE", all.get(2).at("/extensions/0/state").asText());
        assertFalse(all.get(2).at("/extensions/0/phones/0/online").asBoolean());
        JsonNode standalone = all.get(5);
        assertEquals("EXTENSION", standalone.path("type").asText());
        assertEquals("206", standalone.path("number").asText());
        assertTrue(standalone.path("presence").isMissingNode());

        JsonNode plain = json(get("/pbx/app/employees", token));
        assertEquals(5, plain.size(), "standalone extensions only with standalone=true");
        assertTrue(plain.get(1).at("/extensions/0/calls").isMissingNode(), "calls only with calls=true");
    }

    @Test
    void profilesMapOntoTelecomXPresenceStates() {
        assertEquals(List.of("WORK", "BUSY", "OFF_WORK", "HOLIDAY", "BUSY", "WORK", "LUNCH_BREAK"),
                List.of(SimulatedExtension.AVAILABLE, SimulatedExtension.AWAY, SimulatedExtension.OUT_OF_OFFICE,
                        SimulatedExtension.CUSTOM_1, SimulatedExtension.CUSTOM_2, "WORK", "Lunch break")
                        .stream().map(TelecomXSimulator::presenceOf).toList());
    }

    @Test
    void rateLimitsAccessAndServerErrorsAnswerWithTheVendorsBody() {
        String token = token();
        sim.rateLimitNext(2, 7);
        HttpResponse<String> limited = get("/pbx/app/employees", token);
        assertError(limited, 429, "too_many_requests", "Rate limit exceeded, retry later");
        assertEquals("7", limited.headers().firstValue("Retry-After").orElse(""));
        assertEquals(429, get("/pbx/app/employees", token).statusCode());
        assertEquals(200, get("/pbx/app/employees", token).statusCode());
        assertEquals(2, sim.rateLimitedCount());

        sim.setAccessDenied(true);
        assertError(get("/pbx/app/employees", token), 403, "access_denied", "Insufficient access level");
        sim.setAccessDenied(false);

        sim.setFailure(Failure.HTTP_500);
        assertError(get("/pbx/app/employees", token), 500, "internal_error", "Simulated internal error");
        sim.clearFailures();
        assertError(get("/pbx/nothing", token), 404, "not_found", "Resource not found: /pbx/nothing");
    }
}
