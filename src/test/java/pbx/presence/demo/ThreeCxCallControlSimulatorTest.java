package pbx.presence.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;

class ThreeCxCallControlSimulatorTest {

    private SimulatedPbx pbx;
    private ThreeCxCallControlSimulator sim;
    private String url;

    @BeforeEach
    void start() {
        pbx = new SimulatedPbx();
        pbx.put(SimulatedExtension.of("201", "Alice")
                .withLoggedInQueues(List.of("800", "801"))
                .withCall(SimulatedCall.viaQueue(98741, SimulatedCall.CONNECTED, "+4930123456", "Support", "800")));
        // seed 000's trap: UserStatus Available, profile Out of office, CHATSTATUS 4
        pbx.put(SimulatedExtension.of("202", "Bob")
                .withPresence(SimulatedExtension.OUT_OF_OFFICE, SimulatedExtension.USER_AVAILABLE, SimulatedExtension.CHAT_OFFLINE));
        sim = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0).start();
        url = sim.extensionsUrl();
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    private static JsonNode parse(String body) throws Exception {
        return Json.MAPPER.readTree(body);
    }

    private static List<String> properties(JsonNode ext) {
        List<String> out = new ArrayList<>();
        ext.get("Properties").forEach(p -> out.add(p.asText()));
        return out;
    }

    @Test
    void listIsAJsonArrayOfSeedShapedObjects() throws Exception {
        HttpResponse<String> r = SimHttp.get(url);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode array = parse(r.body());
        assertTrue(array.isArray());
        assertEquals(2, array.size());

        JsonNode alice = array.get(0);
        assertEquals("201", alice.get("Number").asText());
        assertEquals("Alice", alice.get("Name").asText());
        assertTrue(alice.get("Enabled").asBoolean());
        assertTrue(alice.get("IsRegistered").isBoolean());
        assertFalse(alice.get("HidePresence").asBoolean());
        assertEquals(2, alice.get("BusyDetection").asInt());
        assertEquals(1, alice.get("QueueStatus").asInt());
        assertEquals(0, alice.get("Status").asInt());
        assertEquals("Available", alice.get("UserStatus").asText());
        assertEquals("Available", alice.get("CurrentProfile").asText());
        JsonNode conns = alice.get("ActiveConnections");
        assertEquals(1, conns.size());
        assertEquals(98741, conns.get(0).get("CallID").asLong());
        assertEquals("Connected", conns.get(0).get("Status").asText());
        assertEquals("+4930123456", conns.get(0).get("ExternalParty").asText());
        List<String> props = properties(alice);
        assertTrue(props.contains("CHATSTATUS=0(String) [0-Online, 1-Away, 2-Do Not Disturb, 3-Invisible, 4-Offline]"), props.toString());
        assertTrue(props.contains("LOGGED_IN_QUEUES=800,801(String) []"), props.toString());
        assertTrue(props.contains("MOBILENUMBER=(String) [The mobile number specified for extension]"), props.toString());
        assertTrue(props.size() > 10);
        assertTrue(props.stream().allMatch(p -> p.matches("[A-Z_]+=.*\\(String\\) \\[.*\\]")), props.toString());

        JsonNode bob = array.get(1);
        assertEquals("Available", bob.get("UserStatus").asText());
        assertEquals("Out of office", bob.get("CurrentProfile").asText());
        assertEquals(0, bob.get("ActiveConnections").size());
        assertEquals(0, bob.get("QueueStatus").asInt());
        assertTrue(properties(bob).contains("CHATSTATUS=4(String) [0-Online, 1-Away, 2-Do Not Disturb, 3-Invisible, 4-Offline]"));
        assertTrue(properties(bob).contains("LOGGED_IN_QUEUES=(String) []"));
    }

    @Test
    void oneExtensionIsAnObject() throws Exception {
        JsonNode bob = parse(SimHttp.body(url + "/202"));
        assertTrue(bob.isObject());
        assertEquals("202", bob.get("Number").asText());
        HttpResponse<String> missing = SimHttp.get(url + "/999");
        assertEquals(404, missing.statusCode());
        assertTrue(parse(missing.body()).has("error"));
        assertEquals(404, SimHttp.get(sim.baseUrl() + "/other").statusCode());
    }

    @Test
    void configurablePath() throws Exception {
        try (ThreeCxCallControlSimulator other = new ThreeCxCallControlSimulator(pbx, "127.0.0.1", 0, "api/3cx/extensions/").start()) {
            assertEquals("/api/3cx/extensions", other.extensionsPath());
            assertEquals(2, parse(SimHttp.body(other.baseUrl() + "/api/3cx/extensions")).size());
            assertEquals(404, SimHttp.get(other.baseUrl() + "/extensions").statusCode());
        }
    }

    @Test
    void seesStateChanges() throws Exception {
        pbx.update("201", e -> e.withNoCalls().withChatStatus(SimulatedExtension.CHAT_DND));
        pbx.remove("202");
        JsonNode array = parse(SimHttp.body(url));
        assertEquals(1, array.size());
        assertEquals(0, array.get(0).get("ActiveConnections").size());
        assertTrue(properties(array.get(0)).stream().anyMatch(p -> p.startsWith("CHATSTATUS=2(String)")));
    }

    @Test
    void http500() {
        sim.setFailure(Failure.HTTP_500);
        HttpResponse<String> r = SimHttp.get(url);
        assertEquals(500, r.statusCode());
        assertFalse(r.body().isEmpty());
        assertEquals(1, sim.requestCount("/extensions"));
    }

    @Test
    void garbageIsNotJson() {
        sim.setFailure(Failure.GARBAGE);
        HttpResponse<String> r = SimHttp.get(url);
        assertEquals(200, r.statusCode());
        assertEquals("<html>oops", r.body());
        assertThrows(Exception.class, () -> parse(r.body()));
    }

    @Test
    void truncatedIsHalfTheBody() {
        String full = sim.extensionsJson();
        sim.setFailure(Failure.TRUNCATED);
        HttpResponse<String> r = SimHttp.get(url);
        assertEquals(200, r.statusCode());
        assertEquals(full.substring(0, full.length() / 2), r.body());
        assertThrows(Exception.class, () -> parse(r.body()));
    }

    @Test
    void hangTimesOutTheClientAndStopEndsTheHandler() {
        sim.setFailure(Failure.HANG);
        assertThrows(HttpTimeoutException.class, () -> SimHttp.send(url, Duration.ofMillis(500)));
        assertThrows(HttpTimeoutException.class, () -> SimHttp.send(url + "/201", Duration.ofMillis(500)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.hangingRequests() == 2);
        sim.stop();
        assertEquals(0, sim.hangingRequests());
        await().atMost(Duration.ofSeconds(5)).until(() -> SimHttp.liveThreads(sim.threadNamePrefix()).isEmpty());
    }
}
