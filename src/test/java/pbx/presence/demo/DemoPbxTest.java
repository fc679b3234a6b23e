package pbx.presence.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;

class DemoPbxTest {

    @Test
    void bothApisServeTheSharedStateOnEphemeralPorts() throws Exception {
        try (DemoPbx demo = new DemoPbx("127.0.0.1", 0, 0, 0)) {
            assertTrue(demo.httpPort() > 0);
            assertTrue(demo.callControlPort() > 0);
            assertNotEquals(demo.httpPort(), demo.callControlPort());
            assertEquals("http://127.0.0.1:" + demo.httpPort(), demo.httpBaseUrl());
            assertEquals("http://127.0.0.1:" + demo.callControlPort() + "/extensions", demo.callControlExtensionsUrl());

            JsonNode array = Json.MAPPER.readTree(SimHttp.body(demo.callControlExtensionsUrl()));
            assertEquals(6, array.size());
            assertEquals("201", array.get(0).get("Number").asText());
            assertEquals("    CURRENT_STATUS=Available", SimHttp.body(demo.httpBaseUrl() + "/showstatus/201"));
            assertEquals("", SimHttp.body(demo.httpBaseUrl() + "/showallcalls"));

            demo.scenario().tick(); // 201 rings via queue Support
            assertEquals("ID=98741:CCID=1:S=Ringing:DN=201:EP=+4930123456:REC=Stop",
                    SimHttp.body(demo.httpBaseUrl() + "/showallcalls"));
            JsonNode alice = Json.MAPPER.readTree(SimHttp.body(demo.callControlExtensionsUrl() + "/201"));
            assertEquals("Ringing", alice.get("ActiveConnections").get(0).get("Status").asText());

            demo.pbx().update("204", e -> e.withRegistered(false));
            assertEquals("error", SimHttp.body(demo.httpBaseUrl() + "/dnregs/204"));
            assertTrue(!Json.MAPPER.readTree(SimHttp.body(demo.callControlExtensionsUrl() + "/204")).get("IsRegistered").asBoolean());
        }
    }

    @Test
    void builderOptions() throws Exception {
        try (DemoPbx demo = DemoPbx.builder().tickMillis(0).newCallsFormat(true).extensionsPath("/cc/extensions").start()) {
            demo.scenario().tick();
            assertTrue(SimHttp.body(demo.httpBaseUrl() + "/showallcalls").endsWith(";Queue_Name=Support;Queue_Nummer=800"));
            assertEquals(6, Json.MAPPER.readTree(SimHttp.body(demo.callControlBaseUrl() + "/cc/extensions")).size());
        }
    }

    @Test
    void theScenarioTicksOnItsOwn() {
        try (DemoPbx demo = new DemoPbx("127.0.0.1", 0, 0, 25)) {
            String first = SimHttp.body(demo.callControlExtensionsUrl());
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !SimHttp.body(demo.callControlExtensionsUrl()).equals(first));
            assertTrue(demo.scenario().isRunning());
            // every thread the demo starts is a daemon (the JDK server's dispatcher included), so it never keeps a JVM alive
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("HTTP-Dispatcher") || t.getName().startsWith("demo-"))
                    .allMatch(Thread::isDaemon));
        }
    }

    @Test
    void closeStopsEverything() {
        DemoPbx demo = new DemoPbx("127.0.0.1", 0, 0, 50);
        String url = demo.httpBaseUrl() + "/showallcalls";
        SimHttp.body(url);
        demo.close();
        demo.close();
        assertTrue(!demo.scenario().isRunning());
        assertTrue(!demo.httpSimulator().isRunning() && !demo.callControlSimulator().isRunning());
        assertThrows(java.io.IOException.class, () -> SimHttp.send(url, Duration.ofSeconds(2)));
    }

    @Test
    void busyHttpPortGivesAClearMessage() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DemoPbx("127.0.0.1", port, 0, 0));
            assertEquals("Demo 3CX HTTP API simulator cannot listen on 127.0.0.1:" + port
                    + ": port already in use. Set presence.demo.3cx-http.port to a free port or presence.demo.enabled=false.",
                    e.getMessage());
        }
    }

    @Test
    void busyCallControlPortGivesAClearMessageAndReleasesTheOtherPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new DemoPbx("127.0.0.1", 0, port, 100));
            assertEquals("Demo 3CX Call Control simulator cannot listen on 127.0.0.1:" + port
                    + ": port already in use. Set presence.demo.3cx-callcontrol.port to a free port or presence.demo.enabled=false.",
                    e.getMessage());
        }
    }
}
