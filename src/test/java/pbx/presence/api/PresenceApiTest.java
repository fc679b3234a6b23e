package pbx.presence.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.Registration;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API through real HTTP against the real YAML routes. */
class PresenceApiTest extends ApiTestSupport {

    static ExtensionPresence ext(String source, String number, String name, LineState line) {
        return ExtensionPresence.builder(source, "3cx", number).name(name).line(line).presence(Presence.AVAILABLE)
                .registration(Registration.REGISTERED).build();
    }

    @Test
    void aSnapshotPlusReplayFromItsPositionReproducesTheStateAfterFurtherChanges() throws Exception {
        for (int i = 0; i < 20; i++) {
            feed().put(ext(i % 2 == 0 ? "hq" : "branch", "2" + (10 + i), "Person " + i, LineState.IDLE));
        }
        JsonNode snapshot = getJson("/api/presence");
        long position = snapshot.path("position").asLong();
        Map<String, JsonNode> state = byKey(snapshot);
        assertEquals(20, state.size());

        LineState[] lines = {LineState.TALKING, LineState.RINGING, LineState.IDLE};
        for (int n = 0; n < 57; n++) {
            int i = n * 7 % 20;
            feed().put(ext(i % 2 == 0 ? "hq" : "branch", "2" + (10 + i), "Person " + i, lines[n % 3]));
        }
        // replay in small pages, following next
        long after = position;
        int replayed = 0;
        while (true) {
            JsonNode page = getJson("/api/events?after=" + after + "&limit=10");
            for (JsonNode item : page.path("events")) {
                JsonNode event = item.path("event");
                JsonNode p = event.path("data").path("after");
                ObjectNode entry = Json.MAPPER.createObjectNode();
                entry.put("sequence", event.path("sequence").asLong());
                entry.set("presence", p);
                state.put(p.path("source").asText() + "/" + p.path("extension").asText(), entry);
                assertTrue(item.path("position").asLong() > after, "events come in position order");
                replayed++;
            }
            if (page.path("next").asLong() == after) {
                break;
            }
            after = page.path("next").asLong();
        }
        assertEquals(57, replayed);
        Map<String, JsonNode> now = byKey(getJson("/api/presence"));
        assertEquals(now.keySet(), state.keySet());
        for (String key : now.keySet()) {
            assertEquals(now.get(key).path("presence"), state.get(key).path("presence"), key);
            assertEquals(now.get(key).path("sequence").asLong(), state.get(key).path("sequence").asLong(), key);
        }
    }

    @Test
    void filtersSelectBySourceAvailabilityAcceptsCallsAndText() {
        feed().put(ext("hq", "201", "Alice Andersen", LineState.IDLE));
        feed().put(ext("hq", "202", "Bob Brown", LineState.TALKING));
        feed().put(ext("branch", "301", "Carol Alvarez", LineState.IDLE));

        assertEquals(List.of("hq/201", "hq/202"), keys(getJson("/api/presence?source=hq")));
        assertEquals(List.of("hq/202"), keys(getJson("/api/presence?availability=BUSY")));
        assertEquals(List.of("branch/301", "hq/201"), keys(getJson("/api/presence?acceptsCalls=true")));
        assertEquals(List.of("branch/301", "hq/201"), keys(getJson("/api/presence?q=al")));
        assertEquals(List.of("hq/201"), keys(getJson("/api/presence?q=201&source=hq")));
        assertEquals(List.of(), keys(getJson("/api/presence?source=nowhere")));

        assertProblem(get("/api/presence?availability=SLEEPING"), 400, "availability must be one of");
        assertProblem(get("/api/presence?acceptsCalls=maybe"), 400, "acceptsCalls must be true or false");
    }

    @Test
    void oneExtensionOr404() {
        feed().put(ext("hq", "201", "Alice Andersen", LineState.TALKING));
        JsonNode one = getJson("/api/presence/hq/201");
        assertEquals("BUSY", one.path("presence").path("availability").asText());
        assertEquals(1, one.path("sequence").asLong());
        assertProblem(get("/api/presence/hq/999"), 404, "No extension '999' in source 'hq'");
        assertProblem(get("/api/nothing-here"), 404, "every path is listed in /api/openapi.json");
    }

    @Test
    void eventsPageInOrderFilterByTypeAndSourceAndSay410PastRetention() throws Exception {
        for (int i = 0; i < 5; i++) {
            feed().put(ext("hq", "20" + i, "P" + i, LineState.IDLE));
        }
        feed().put(ext("hq", "201", "P1", LineState.TALKING));
        feed().put(ext("branch", "301", "Q", LineState.IDLE));

        // positions are the log's: relative to where this test's events start
        long p0 = getJson("/api/events?after=0&limit=1").path("events").get(0).path("position").asLong() - 1;
        JsonNode all = getJson("/api/events?after=" + p0 + "&limit=100");
        assertEquals(7, all.path("events").size());
        long head = all.path("next").asLong();
        assertEquals(all.path("events").get(6).path("position").asLong(), head);
        JsonNode changed = getJson("/api/events?after=" + p0 + "&type=pbx.presence.changed");
        assertEquals(1, changed.path("events").size());
        assertEquals("hq:201:2", changed.path("events").get(0).path("event").path("id").asText());
        assertEquals(1, getJson("/api/events?after=" + p0 + "&source=branch").path("events").size());
        List<Long> positions = all.path("events").findValuesAsText("position").stream().map(Long::parseLong).toList();
        JsonNode page = getJson("/api/events?after=" + positions.get(1) + "&limit=2");
        assertEquals(positions.subList(2, 4), page.path("events").findValuesAsText("position").stream().map(Long::parseLong).toList());
        assertEquals(positions.get(3), page.path("next").asLong());
        assertEquals(head, getJson("/api/events?after=" + head).path("next").asLong(), "nothing new: next stays");

        assertProblem(get("/api/events?limit=0"), 400, "limit must be between 1 and");
        assertProblem(get("/api/events?after=-3"), 400, "after must be a whole number");
        assertProblem(get("/api/events?type=pbx.nonsense"), 400, "type must be one of");

        // retention prunes everything the sinks have passed
        await().atMost(Duration.ofSeconds(10)).until(() -> feed().pruneAll() >= 0 && storeView().oldestPosition() > head);
        assertProblem(get("/api/events?after=" + positions.get(3)), 410, "no longer kept");
        assertEquals(0, getJson("/api/events?after=" + head).path("events").size(), "nothing pruned after the head");
        feed().put(ext("hq", "209", "New", LineState.IDLE));
        JsonNode fresh = getJson("/api/events");
        assertEquals(1, fresh.path("events").size(), "no after: from the oldest kept");
        assertTrue(fresh.path("events").get(0).path("position").asLong() > head);
    }

    @Test
    void sourcesSayStateAndLeaveLeadershipForAClusterToFill() {
        feed().put(ext("hq", "201", "Alice", LineState.IDLE));
        feed().put(ExtensionPresence.builder("branch", "telphin", "301").name("Quinn").registration(Registration.REGISTERED).build());
        feed().down("branch", "telphin", 4);
        JsonNode sources = getJson("/api/sources").path("sources");
        assertEquals(2, sources.size());
        JsonNode branch = sources.get(0);
        assertEquals("branch", branch.path("sourceId").asText());
        assertEquals("telphin", branch.path("vendor").asText());
        assertEquals("down", branch.path("state").asText());
        assertTrue(Instant.parse(branch.path("lastGoodPoll").asText()).isAfter(Instant.now().minusSeconds(60)), branch.toString());
        assertEquals(4, branch.path("consecutiveFailures").asInt());
        assertEquals(1, branch.path("extensions").asInt());
        assertTrue(branch.has("leader") && branch.path("leader").isNull());
        assertEquals("up", sources.get(1).path("state").asText());
        assertEquals(0, sources.get(1).path("consecutiveFailures").asInt());
    }

    @Test
    void theApiIsReadOnly() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/api/presence"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(r, 405, "read-only");
        assertEquals("GET", r.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void corsIsOffByDefault() {
        feed().put(ext("hq", "201", "Alice", LineState.IDLE));
        HttpResponse<String> r = get("/api/presence", "Origin", "http://wallboard.example");
        assertEquals(200, r.statusCode());
        assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }

    static void assertProblem(HttpResponse<String> r, int status, String detailPart) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(Problem.MEDIA_TYPE, r.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
        try {
            JsonNode p = Json.MAPPER.readTree(r.body());
            assertEquals(status, p.path("status").asInt());
            assertFalse(p.path("title").asText().isBlank());
            assertTrue(p.path("detail").asText().contains(detailPart), p.path("detail").asText());
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private static Map<String, JsonNode> byKey(JsonNode snapshot) {
        Map<String, JsonNode> m = new HashMap<>();
        snapshot.path("extensions").forEach(e -> m.put(e.path("sourceId").asText() + "/" + e.path("extension").asText(), e));
        return m;
    }

    private static List<String> keys(JsonNode snapshot) {
        return new TreeMap<>(byKey(snapshot)).keySet().stream().toList();
    }
}
