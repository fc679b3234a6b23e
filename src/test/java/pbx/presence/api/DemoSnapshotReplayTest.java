package pbx.presence.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resync promise end to end, on the demo's six simulated PBXs through the real pipeline and
 * store: a snapshot, then a replay of /api/events from the snapshot's position, gives exactly the
 * state the router holds after N further changes.
 */
class DemoSnapshotReplayTest extends ApiTestSupport {

    @Override
    protected void configure(Properties p) {
        super.configure(p);
        p.put("presence.demo.enabled", "true");
    }

    @Test
    void aSnapshotPlusReplayFromItsPositionEqualsTheStateAfterTheDemosNextChanges() {
        int sources = 6; // routes/sources.camel.yaml: one demo source per simulated PBX API
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode s = getJson("/api/sources").path("sources");
            return s.size() == sources && java.util.stream.StreamSupport.stream(s.spliterator(), false)
                    .allMatch(x -> x.path("extensions").asInt() == 6);
        });
        JsonNode snapshot = getJson("/api/presence");
        Map<String, JsonNode> state = byKey(snapshot);
        assertEquals(sources * 6, state.size());

        int changes = 12;
        for (int i = 0; i < changes; i++) {
            long before = storeView().headPosition();
            demo().scenario().tick();
            // every source has polled the change (or found nothing it can see) before the next one
            await().atMost(Duration.ofSeconds(10)).until(() -> storeView().headPosition() > before);
        }
        JsonNode after = getJson("/api/presence");
        long end = after.path("position").asLong();
        assertTrue(end > snapshot.path("position").asLong());

        long position = snapshot.path("position").asLong();
        int replayed = 0;
        while (position < end) {
            JsonNode page = getJson("/api/events?after=" + position + "&limit=7");
            for (JsonNode item : page.path("events")) {
                if (item.path("position").asLong() > end) {
                    break;
                }
                apply(state, item.path("event"));
                replayed++;
            }
            position = page.path("next").asLong();
        }
        assertTrue(replayed >= changes, "the demo's changes produced events: " + replayed);
        Map<String, JsonNode> expected = byKey(after);
        assertEquals(expected.keySet(), state.keySet());
        for (String key : expected.keySet()) {
            assertEquals(expected.get(key).path("sequence").asLong(), state.get(key).path("sequence").asLong(), key);
            assertEquals(expected.get(key).path("presence"), state.get(key).path("presence"), key);
        }
    }

    private static void apply(Map<String, JsonNode> state, JsonNode event) {
        String type = event.path("type").asText();
        if (!type.startsWith("pbx.presence.") && !type.startsWith("pbx.extension.")) {
            return;
        }
        String key = event.path("source").asText().replaceAll(".*/", "") + "/" + event.path("subject").asText();
        if (type.equals("pbx.extension.removed")) {
            state.remove(key);
            return;
        }
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("sequence", event.path("sequence").asLong());
        entry.set("presence", event.path("data").path("after"));
        state.put(key, entry);
    }

    private static Map<String, JsonNode> byKey(JsonNode snapshot) {
        Map<String, JsonNode> m = new HashMap<>();
        snapshot.path("extensions").forEach(e -> m.put(e.path("sourceId").asText() + "/" + e.path("extension").asText(), e));
        return m;
    }
}
