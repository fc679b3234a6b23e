package pbx.presence.demo;

import pbx.presence.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator speaks the Telphin API as the connector expects it, and enforces its authentication. */
class TelphinSimulatorTest {


    private final MutableClock clock = new MutableClock();
    private final SimulatedPbx pbx = new SimulatedPbx();
    private TelphinSimulator sim;

    @BeforeEach
    void start() {
        pbx.put(SimulatedExtension.of("201", "Alice").withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.RINGING, "+4930123456")));
        pbx.put(SimulatedExtension.of("202", "Bob").withProfile(SimulatedExtension.CUSTOM_1).withRegistered(false));
        pbx.put(SimulatedExtension.of("203", "Carol").withEnabled(false));
        sim = new TelphinSimulator(pbx, "127.0.0.1", 0, "app", "secret", clock).start();
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    private HttpResponse<String> token(String secret) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=app&client_secret=" + secret))
                .build();
        return SimHttp.CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private String accessToken() throws Exception {
        HttpResponse<String> r = token("secret");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = Json.MAPPER.readTree(r.body());
        assertTrue(n.path("expires_in").asInt() > 0);
        return n.path("access_token").asText();
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return SimHttp.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensAreRequiredAndExpire() throws Exception {
        assertEquals(401, token("wrong").statusCode());
        HttpResponse<String> none = get("/api/ver1.0/client/@me/extension/", null);
        assertEquals(401, none.statusCode());
        assertEquals("Authorization required: no bearer token", Json.MAPPER.readTree(none.body()).path("message").asText());
        assertEquals(401, get("/api/ver1.0/client/@me/extension/", "made-up").statusCode());

        sim.setTokenLifetime(Duration.ofSeconds(60));
        String token = accessToken();
        assertEquals(200, get("/api/ver1.0/client/@me/extension/", token).statusCode());
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> expired = get("/api/ver1.0/client/@me/extension/", token);
        assertEquals(401, expired.statusCode());
        assertEquals("Access token expired", Json.MAPPER.readTree(expired.body()).path("message").asText());
        assertEquals(2, sim.tokenRequestCount(), "the refused one and the good one");
    }

    @Test
    void servesPagesStatusesRegistrationAndCalls() throws Exception {
        String token = accessToken();
        JsonNode page1 = Json.MAPPER.readTree(get("/api/ver1.0/client/@me/extension/?type=phone&page=1&per_page=2", token).body());
        JsonNode page2 = Json.MAPPER.readTree(get("/api/ver1.0/client/10001/extension/?type=phone&page=2&per_page=2", token).body());
        assertEquals(2, page1.size());
        assertEquals(1, page2.size());
        JsonNode bob = page1.get(1);
        assertEquals("0003*202", bob.path("name").asText());
        assertEquals("Bob", bob.path("label").asText());
        assertEquals("active", bob.path("status").asText());
        assertEquals(TelphinSimulator.LUNCH.id(), bob.path("call_status_id").asInt());
        assertEquals("blocked", page2.get(0).path("status").asText());
        assertEquals(0, Json.MAPPER.readTree(get("/api/ver1.0/client/@me/extension/?type=queue", token).body()).size());

        JsonNode statuses = Json.MAPPER.readTree(get("/api/ver1.0/client/@me/extension/call_status/", token).body());
        assertEquals(TelphinSimulator.STATUSES.size(), statuses.size());
        assertEquals("all", statuses.get(0).path("property_list").get(0).asText());

        JsonNode reg = Json.MAPPER.readTree(get("/api/ver1.0/extension/" + sim.extensionId("202") + "/registration/", token).body());
        assertFalse(reg.path("registered").asBoolean());
        assertEquals(0, reg.path("registrations").size());

        JsonNode calls = Json.MAPPER.readTree(get("/api/ver1.0/client/@me/current_calls/", token).body());
        assertEquals(1, calls.size());
        assertEquals(sim.extensionId("201"), calls.get(0).path("extension_id").asLong());
        assertEquals("in", calls.get(0).path("call_flow").asText());
        assertTrue(calls.get(0).path("answer_time_gmt").isNull(), "ringing: not answered");

        assertEquals(404, get("/api/ver1.0/client/4711/extension/", token).statusCode());
        assertEquals(400, get("/api/ver1.0/client/@me/extension/?page=0", token).statusCode());
    }

    @Test
    void rateLimitsWithRetryAfter() throws Exception {
        String token = accessToken();
        sim.rateLimitNext(2, 7);
        HttpResponse<String> first = get("/api/ver1.0/client/@me/extension/", token);
        assertEquals(429, first.statusCode());
        assertEquals("7", first.headers().firstValue("Retry-After").orElse(null));
        assertEquals(429, get("/api/ver1.0/client/@me/extension/", token).statusCode());
        assertEquals(200, get("/api/ver1.0/client/@me/extension/", token).statusCode());
    }
}
