package pbx.presence.events;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.change.EventStore.Commit;
import pbx.presence.change.SinkLog;
import pbx.presence.model.EventType;
import pbx.presence.model.PresenceEvent;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which sinks have their start fixed before the first commit: every started presence-events route's, none of a route that is off. */
class SinkStartsTest {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void startedSinksGetAPositionAtTheEndOfTheLogAndASinkThatIsOffDoesNot() throws Exception {
        JdbcEventStore store = Stores.embedded(dir.resolve("presence.db"));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("presence-events", new PresenceEventsComponent(store));
            store.commit(new Commit("s", null, Map.of(), 1, false, 0, T0,
                    List.of(PresenceEvent.sourceEvent(EventType.SOURCE_UP, "s", 1, T0, 0, null))));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("presence-events:crm").routeId("sink-crm").autoStartup(true).to("log:crm?level=OFF");
                    from("presence-events:audit?startAt=start").routeId("sink-audit").to("log:audit?level=OFF");
                    from("presence-events:off").routeId("sink-off").autoStartup(false).to("log:off?level=OFF");
                }
            });
            camel.setAutoStartup(false); // routes exist, no consumer runs: only SinkStarts stores positions
            camel.start();
            assertEquals(Map.of(), store.sinkPositions());
            SinkStarts starts = new SinkStarts(camel, store);
            assertEquals(Map.of("crm", SinkLog.StartAt.END, "audit", SinkLog.StartAt.START), starts.sinksThatStart());
            starts.run();
            Map<String, Long> positions = store.sinkPositions();
            assertEquals(1L, positions.get("crm"), "a new sink at the end: after the event already committed");
            assertEquals(0L, positions.get("audit"), "startAt=start: before it");
            assertEquals(null, positions.get("off"), "a sink that is off starts where the log is when it is switched on");
        } finally {
            store.close();
        }
    }
}
