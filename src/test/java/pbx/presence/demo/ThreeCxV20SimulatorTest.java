package pbx.presence.demo;

import pbx.presence.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator speaks 3CX v20 as VENDORS.md §3 describes it, and enforces its auth. */
class ThreeCxV20SimulatorTest {

    private static final String FORM = "grant_type=client_credentials&client_id=900&client_secret=key%2B1";


    private final MutableClock clock = new MutableClock();
    private final SimulatedPbx pbx = new SimulatedPbx();
    private ThreeCxV20Simulator sim;

    @BeforeEach
    void start() {
        pbx.put(SimulatedExtension.of("201", "Alice Andersen")
                .withCall(SimulatedCall.direct(98741, SimulatedCall.CONNECTED, "+4930123456"))
                .withLoggedInQueues(List.of("800")));
        pbx.put(SimulatedExtension.of("202", "Bob").withRegistered(false).withProfile(SimulatedExtension.CUSTOM_2));
        pbx.put(SimulatedExtension.of("203", "Carol Schulz").withProfile(SimulatedExtension.OUT_OF_OFFICE));
        sim = new ThreeCxV20Simulator(pbx, "127.0.0.1", 0, "900", "key+1", clock).start();
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    private HttpResponse<String> post(String path, String form) {
        return send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> get(String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + pathAndQuery)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return SimHttp.CLIENT.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    private String token() {
        HttpResponse<String> r = post(ThreeCxV20Simulator.TOKEN_PATH, FORM);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("access_token").asText();
    }

    private static Set<String> fields(JsonNode o) {
        Set<String> out = new TreeSet<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void tokenAnswerHasTheDocumentedShape() throws IOException {
        HttpResponse<String> r = post(ThreeCxV20Simulator.TOKEN_PATH, FORM);
        assertEquals(200, r.statusCode());
        JsonNode t = json(r);
        try (InputStream in = getClass().getResourceAsStream("/vendors/3cx-v20/token.json")) {
            assertEquals(fields(Json.MAPPER.readTree(in)), fields(t));
        }
        assertEquals("Bearer", t.get("token_type").asText());
        assertEquals(3600, t.get("expires_in").asInt());
        assertEquals(1, sim.tokensIssued());
    }

    @Test
    void wrongClientOrGrantIsRefused() {
        HttpResponse<String> r = post(ThreeCxV20Simulator.TOKEN_PATH, "grant_type=client_credentials&client_id=900&client_secret=nope");
        assertEquals(401, r.statusCode());
        assertEquals("invalid_client", json(r).get("error").asText());
        r = post(ThreeCxV20Simulator.TOKEN_PATH, "grant_type=password&client_id=900&client_secret=key%2B1");
        assertEquals(400, r.statusCode());
        assertEquals("unsupported_grant_type", json(r).get("error").asText());
        assertEquals(405, get(ThreeCxV20Simulator.TOKEN_PATH, null).statusCode());
        assertEquals(0, sim.tokensIssued());
    }

    @Test
    void apiRequestsNeedAValidUnexpiredToken() {
        HttpResponse<String> none = get(ThreeCxV20Simulator.USERS_PATH, null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals("unauthorized", json(none).at("/error/code").asText());
        assertEquals(401, get(ThreeCxV20Simulator.CALL_CONTROL_PATH, "made-up").statusCode());

        sim.setTokenLifetime(Duration.ofSeconds(120));
        String token = token();
        assertEquals(200, get(ThreeCxV20Simulator.USERS_PATH, token).statusCode());
        clock.advance(Duration.ofSeconds(121));
        HttpResponse<String> expired = get(ThreeCxV20Simulator.USERS_PATH, token);
        assertEquals(401, expired.statusCode());
        assertEquals("The access token expired", json(expired).at("/error/message").asText());

        String fresh = token();
        sim.revokeTokens();
        assertEquals("The access token is not valid (unknown or revoked)",
                json(get(ThreeCxV20Simulator.CALL_CONTROL_PATH, fresh)).at("/error/message").asText());
    }

    @Test
    void usersAreODataPagesWithSelectExpandCountAndNextLink() {
        String token = token();
        sim.setNextLinks(true);
        HttpResponse<String> r = get(ThreeCxV20Simulator.USERS_PATH + "?$top=2&$skip=0&$count=true"
                + "&$select=Number,FirstName,LastName,CurrentProfileName,IsRegistered"
                + "&$expand=ForwardingProfiles($select=Name,AcceptMultipleCalls)", token);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode page = json(r);
        assertEquals(3, page.get("@odata.count").asInt());
        JsonNode alice = page.get("value").get(0);
        assertEquals(Set.of("Number", "FirstName", "LastName", "CurrentProfileName", "IsRegistered", "ForwardingProfiles"),
                fields(alice));
        assertEquals("Alice", alice.get("FirstName").asText());
        assertEquals("Andersen", alice.get("LastName").asText());
        assertEquals(Set.of("Name", "AcceptMultipleCalls"), fields(alice.get("ForwardingProfiles").get(0)));
        JsonNode bob = page.get("value").get(1);
        assertEquals("OutOfOffice2", bob.get("CurrentProfileName").asText(), "Custom 2 is v20's OutOfOffice2");
        assertFalse(bob.get("IsRegistered").asBoolean());
        String next = page.get("@odata.nextLink").asText();
        assertTrue(next.startsWith(sim.baseUrl() + "/xapi/v1/Users?") && next.endsWith("$skip=2"), next);

        JsonNode last = json(get(next.substring(sim.baseUrl().length()), token));
        assertEquals(1, last.get("value").size());
        assertEquals("OutOfOffice", last.get("value").get(0).get("CurrentProfileName").asText());
        assertFalse(last.has("@odata.nextLink"));
    }

    @Test
    void defaultAndMaximumPageSizes() {
        String token = token();
        sim.setDefaultPageSize(2);
        assertEquals(2, json(get(ThreeCxV20Simulator.USERS_PATH, token)).get("value").size());
        sim.setMaxPageSize(1);
        assertEquals(1, json(get(ThreeCxV20Simulator.USERS_PATH + "?$top=100", token)).get("value").size());
        assertEquals(400, get(ThreeCxV20Simulator.USERS_PATH + "?$top=-1", token).statusCode());
    }

    @Test
    void callControlListsDevicesParticipantsAndQueues() {
        JsonNode dns = json(get(ThreeCxV20Simulator.CALL_CONTROL_PATH, token()));
        List<String> listed = new ArrayList<>();
        dns.forEach(d -> listed.add(d.get("dn").asText() + ":" + d.get("type").asText()));
        assertEquals(List.of("201:Wextension", "202:Wextension", "203:Wextension", "800:Wqueue"), listed);
        JsonNode alice = dns.get(0);
        assertEquals(SimulatedExtension.DEFAULT_USER_AGENT, alice.at("/devices/0/user_agent").asText());
        assertEquals("Connected", alice.at("/participants/0/status").asText());
        assertEquals(98741, alice.at("/participants/0/callid").asLong());
        assertEquals("+4930123456", alice.at("/participants/0/party_caller_id").asText());
        assertEquals(0, dns.get(1).get("devices").size(), "202 is not registered");
    }

    @Test
    void rateLimitAnswers429WithRetryAfterForTheNextRequests() {
        String token = token();
        sim.rateLimitNext(2, 3);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = get(ThreeCxV20Simulator.USERS_PATH, token);
            assertEquals(429, r.statusCode());
            assertEquals("3", r.headers().firstValue("Retry-After").orElse(null));
        }
        assertEquals(200, get(ThreeCxV20Simulator.USERS_PATH, token).statusCode());
    }

    @Test
    void vendorErrorsAreODataErrorObjects() {
        String token = token();
        sim.setApiError(403, "Forbidden", "no access");
        HttpResponse<String> r = get(ThreeCxV20Simulator.USERS_PATH, token);
        assertEquals(403, r.statusCode());
        assertEquals("no access", json(r).at("/error/message").asText());
        sim.clearApiError();
        assertEquals(404, get("/xapi/v1/Nothing", token).statusCode());
        sim.setFailure(Failure.HTTP_500);
        assertEquals("InternalServerError", json(get(ThreeCxV20Simulator.USERS_PATH, token)).at("/error/code").asText());
    }
}
