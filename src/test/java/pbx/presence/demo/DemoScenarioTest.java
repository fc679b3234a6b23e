package pbx.presence.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class DemoScenarioTest {

    /** State with call ids blanked: every cycle's calls get fresh ids. */
    private static List<SimulatedExtension> normalised(SimulatedPbx pbx) {
        return pbx.all().stream()
                .map(e -> e.withCalls(e.calls().stream()
                        .map(c -> new SimulatedCall(0, c.state(), c.remoteParty(), c.queueName(), c.queueNumber()))
                        .toList()))
                .toList();
    }

    @Test
    void seedsSixExtensions() {
        SimulatedPbx pbx = new SimulatedPbx();
        DemoScenario scenario = new DemoScenario(pbx);
        assertEquals(List.of("201", "202", "203", "204", "205", "206"),
                pbx.all().stream().map(SimulatedExtension::number).toList());
        assertEquals("Alice Andersen", pbx.get("201").orElseThrow().name());
        assertEquals(DemoScenario.CYCLE_LENGTH, scenario.cycleLength());
        assertEquals(scenario.cycleLength(), scenario.steps().size());
    }

    @Test
    void everyTickChangesSomethingAndTheScriptCycles() {
        SimulatedPbx pbx = new SimulatedPbx();
        DemoScenario scenario = new DemoScenario(pbx);
        List<SimulatedExtension> initial = normalised(pbx);
        for (int cycle = 0; cycle < 2; cycle++) {
            for (int i = 0; i < scenario.cycleLength(); i++) {
                assertEquals(i, scenario.position());
                List<SimulatedExtension> before = pbx.all();
                String step = scenario.tick();
                assertNotEquals(before, pbx.all(), "step " + i + " changed nothing: " + step);
                assertEquals(scenario.steps().get(i), step);
            }
            assertEquals(0, scenario.position());
            assertEquals(initial, normalised(pbx), "state after cycle " + cycle);
        }
        assertEquals(2L * scenario.cycleLength(), scenario.ticks());
    }

    @Test
    void theScriptCoversTheInterestingCases() {
        SimulatedPbx pbx = new SimulatedPbx();
        DemoScenario scenario = new DemoScenario(pbx);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scenario.cycleLength(); i++) {
            scenario.tick();
            for (SimulatedExtension e : pbx.all()) {
                seen.add("profile:" + e.profile());
                seen.add("chat:" + e.chatStatus());
                seen.add("registered:" + e.registered());
                e.calls().forEach(c -> seen.add("call:" + c.state()));
                if (SimulatedExtension.USER_AVAILABLE.equals(e.userStatus())
                        && SimulatedExtension.OUT_OF_OFFICE.equals(e.profile())
                        && e.chatStatus() == SimulatedExtension.CHAT_OFFLINE) {
                    seen.add("seed-000-trap");
                }
            }
        }
        for (String expected : List.of("profile:Away", "profile:Out of office", "profile:Custom 1", "chat:2", "chat:4",
                "registered:false", "call:Ringing", "call:Connected", "call:Dialing", "seed-000-trap")) {
            assertTrue(seen.contains(expected), "never saw " + expected + " in " + seen);
        }
    }

    @Test
    void callsRingThenConnectThenEnd() {
        SimulatedPbx pbx = new SimulatedPbx();
        DemoScenario scenario = new DemoScenario(pbx);
        scenario.tick();
        SimulatedCall ringing = pbx.get("201").orElseThrow().firstCall();
        assertEquals(SimulatedCall.RINGING, ringing.state());
        assertEquals("Support", ringing.queueName());
        scenario.tick();
        SimulatedCall connected = pbx.get("201").orElseThrow().firstCall();
        assertEquals(SimulatedCall.CONNECTED, connected.state());
        assertEquals(ringing.callId(), connected.callId());
        while (!pbx.get("201").orElseThrow().calls().isEmpty()) {
            scenario.tick();
        }
        assertTrue(scenario.position() < scenario.cycleLength());
    }

    @Test
    void survivesAnExtensionRemovedByATest() {
        SimulatedPbx pbx = new SimulatedPbx();
        DemoScenario scenario = new DemoScenario(pbx);
        pbx.remove("201");
        scenario.tick();
        assertTrue(pbx.get("201").isPresent());
    }

    @Test
    void startTicksOnADaemonThreadUntilClosed() {
        SimulatedPbx pbx = new SimulatedPbx();
        DemoScenario scenario = new DemoScenario(pbx).start(20);
        try {
            assertTrue(scenario.isRunning());
            assertThrows(IllegalStateException.class, () -> scenario.start(20));
            long version = pbx.version();
            await().atMost(Duration.ofSeconds(5)).until(() -> scenario.ticks() >= 3 && pbx.version() > version);
        } finally {
            scenario.close();
        }
        assertFalse(scenario.isRunning());
        await().atMost(Duration.ofSeconds(5)).until(() -> SimHttp.liveThreads("demo-scenario").isEmpty());
        long after = scenario.ticks();
        // a closed scenario no longer ticks: nothing changes during another few periods
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> scenario.ticks() == after);
    }

    @Test
    void startOnAGivenExecutor() {
        ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(HttpSimulator.daemonThreads("test-ticker"));
        try {
            DemoScenario scenario = new DemoScenario(new SimulatedPbx()).start(exec, 10);
            await().atMost(Duration.ofSeconds(5)).until(() -> scenario.ticks() >= 2);
            scenario.close();
            assertFalse(exec.isShutdown());
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void rejectsABadPeriod() {
        DemoScenario scenario = new DemoScenario(new SimulatedPbx());
        assertThrows(IllegalArgumentException.class, () -> scenario.start(0));
        assertFalse(scenario.isRunning());
    }
}
