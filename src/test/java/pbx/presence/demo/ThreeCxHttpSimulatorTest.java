package pbx.presence.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThreeCxHttpSimulatorTest {

    private SimulatedPbx pbx;
    private ThreeCxHttpSimulator sim;
    private String base;

    @BeforeEach
    void start() {
        pbx = new SimulatedPbx();
        pbx.put(SimulatedExtension.of("201", "Alice")
                .withCall(SimulatedCall.viaQueue(98741, SimulatedCall.CONNECTED, "+4930123456", "Support", "800")));
        pbx.put(SimulatedExtension.of("202", "Bob")
                .withCall(SimulatedCall.direct(98742, SimulatedCall.RINGING, "+4989987654")));
        pbx.put(SimulatedExtension.of("203", "Carol").withProfile(SimulatedExtension.OUT_OF_OFFICE));
        pbx.put(SimulatedExtension.of("204", "Dave").withRegistered(false));
        sim = new ThreeCxHttpSimulator(pbx, "127.0.0.1", 0).start();
        base = sim.baseUrl();
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void listensOnAnEphemeralPort() {
        assertTrue(sim.port() > 0);
        assertEquals("http://127.0.0.1:" + sim.port(), base);
    }

    @Test
    void showstatusHasLeadingSpacesAndTheProfileName() {
        assertEquals("    CURRENT_STATUS=Available", SimHttp.body(base + "/showstatus/201"));
        assertEquals("    CURRENT_STATUS=Out of office", SimHttp.body(base + "/showstatus/203"));
        HttpResponse<String> r = SimHttp.get(base + "/showstatus/203");
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    @Test
    void showallcallsOldFormat() {
        String body = SimHttp.body(base + "/showallcalls");
        assertEquals("ID=98741:CCID=1:S=Connected:DN=201:EP=+4930123456:REC=Stop"
                + "<br>ID=98742:CCID=1:S=Ringing:DN=202:EP=+4989987654:REC=Stop", body);
    }

    @Test
    void showallcallsNewFormat() {
        sim.setNewFormat(true);
        String body = SimHttp.body(base + "/showallcalls");
        List<String> lines = List.of(body.split("<br>"));
        assertEquals(List.of(
                "ID=98741;CCID=1;S=Connected;DN=201;EP=+4930123456;REC=Stop;Queue_Name=Support;Queue_Nummer=800",
                "ID=98742;CCID=1;S=Ringing;DN=202;EP=+4989987654;REC=Stop;Queue_Name=;Queue_Nummer="), lines);
    }

    @Test
    void showallcallsNewFormatFromConstructorAndHtmlWrapping() {
        try (ThreeCxHttpSimulator other = new ThreeCxHttpSimulator(pbx, "127.0.0.1", 0, true).start()) {
            assertTrue(other.isNewFormat());
            other.setHtmlWrapped(true);
            String body = SimHttp.body(other.baseUrl() + "/showallcalls");
            assertTrue(body.startsWith("<html><body>ID=98741;CCID=1;"), body);
            assertTrue(body.endsWith("</body></html>"), body);
        }
    }

    @Test
    void showallcallsIsEmptyWithoutCalls() {
        pbx.update("201", SimulatedExtension::withNoCalls);
        pbx.update("202", SimulatedExtension::withNoCalls);
        assertEquals("", SimHttp.body(base + "/showallcalls"));
    }

    @Test
    void ondnAnswersCallIdOrZero() {
        assertEquals("98741", SimHttp.body(base + "/ondn/201"));
        assertEquals("0", SimHttp.body(base + "/ondn/203"));
    }

    @Test
    void dnregsAnswersRegistrationOrError() {
        String reg = SimHttp.body(base + "/dnregs/201");
        assertTrue(reg.matches("\\d+-sip:201@127\\.0\\.0\\.1:5060-Yealink SIP-T46S 66\\.86\\.0\\.15"), reg);
        assertEquals("error", SimHttp.body(base + "/dnregs/204"));
        pbx.update("204", e -> e.withRegistered(true));
        assertTrue(SimHttp.body(base + "/dnregs/204").contains("-sip:204@"));
    }

    @Test
    void getcalleridAnswersIdleQueueOrDirect() {
        assertEquals("Queue: Support Anrufer: +4930123456", SimHttp.body(base + "/getcallerid/201"));
        assertEquals("Queue: Direkter Anruf Anrufer: +4989987654", SimHttp.body(base + "/getcallerid/202"));
        assertEquals("idle", SimHttp.body(base + "/getcallerid/203"));
    }

    @Test
    void quirks() {
        assertEquals("idle", SimHttp.body(base + "/makecall/201/202/Soft"));
        assertEquals("idle", SimHttp.body(base + "/nosuchaction"));
        assertEquals("error", SimHttp.body(base + "/showstatus/999"));
        HttpResponse<String> stop = SimHttp.get(base + "/stop");
        assertEquals(403, stop.statusCode());
        assertEquals("disabled in simulator", stop.body());
        assertTrue(sim.isRunning());
        assertEquals("    CURRENT_STATUS=Available", SimHttp.body(base + "/ShowStatus/201"));
    }

    @Test
    void setstatusChangesTheSharedState() {
        assertEquals("Out of office", SimHttp.body(base + "/setstatus/201/oof"));
        assertEquals(SimulatedExtension.OUT_OF_OFFICE, pbx.get("201").orElseThrow().profile());
        assertEquals(SimulatedExtension.USER_AVAILABLE, pbx.get("201").orElseThrow().userStatus());
        assertEquals("Away", SimHttp.body(base + "/setstatus/201/away"));
        assertEquals(SimulatedExtension.USER_AWAY, pbx.get("201").orElseThrow().userStatus());
        assertEquals("    CURRENT_STATUS=Away", SimHttp.body(base + "/showstatus/201"));
    }

    @Test
    void seesStateChangesImmediately() {
        pbx.update("201", e -> e.withProfile(SimulatedExtension.CUSTOM_1));
        assertEquals("    CURRENT_STATUS=Custom 1", SimHttp.body(base + "/showstatus/201"));
    }

    @Test
    void http500() {
        sim.setFailure(Failure.HTTP_500);
        HttpResponse<String> r = SimHttp.get(base + "/showstatus/201");
        assertEquals(500, r.statusCode());
        assertFalse(r.body().isEmpty());
        sim.setFailure(Failure.NONE);
        assertEquals(200, SimHttp.get(base + "/showstatus/201").statusCode());
    }

    @Test
    void garbageIsNotAStatusLine() {
        sim.setFailure(Failure.GARBAGE);
        HttpResponse<String> r = SimHttp.get(base + "/showstatus/201");
        assertEquals(200, r.statusCode());
        assertFalse(r.body().contains("CURRENT_STATUS="), r.body());
        assertFalse(r.body().isBlank());
    }

    @Test
    void truncatedCutsTheBody() {
        sim.setFailure(Failure.TRUNCATED);
        String full = "    CURRENT_STATUS=Out of office";
        assertEquals(full.substring(0, full.length() / 2), SimHttp.body(base + "/showstatus/203"));
    }

    @Test
    void failureForOnePathOnly() {
        sim.setFailure("/showstatus", Failure.HTTP_500);
        assertEquals(500, SimHttp.get(base + "/showstatus/201").statusCode());
        assertEquals(200, SimHttp.get(base + "/showallcalls").statusCode());
        assertEquals(Failure.NONE, sim.failureFor("/dnregs/201"));
        sim.clearFailures();
        assertEquals(200, SimHttp.get(base + "/showstatus/201").statusCode());
    }

    @Test
    void hangNeverAnswersAndStopReleasesTheHandler() {
        sim.setFailure(Failure.HANG);
        assertThrows(HttpTimeoutException.class, () -> SimHttp.send(base + "/showstatus/201", Duration.ofMillis(500)));
        await().atMost(Duration.ofSeconds(5)).until(() -> sim.hangingRequests() == 1);
        assertEquals(1, SimHttp.liveThreads(sim.threadNamePrefix()).size());
        sim.stop();
        assertEquals(0, sim.hangingRequests());
        await().atMost(Duration.ofSeconds(5)).until(() -> SimHttp.liveThreads(sim.threadNamePrefix()).isEmpty());
    }

    @Test
    void countsRequestsPerPath() {
        SimHttp.body(base + "/showallcalls");
        SimHttp.body(base + "/showallcalls");
        SimHttp.body(base + "/showstatus/201");
        sim.setFailure(Failure.HTTP_500);
        SimHttp.get(base + "/showstatus/202");
        assertEquals(2, sim.requestCount("/showallcalls"));
        assertEquals(1, sim.requestCount("/showstatus/201"));
        assertEquals(2, sim.requestCountWithPrefix("/showstatus/"));
        assertEquals(4, sim.totalRequestCount());
        assertEquals(0, sim.requestCount("/dnregs/201"));
        sim.resetRequestCounts();
        assertEquals(0, sim.totalRequestCount());
    }

    @Test
    void handlerThreadsAreDaemons() {
        SimHttp.body(base + "/showallcalls");
        assertFalse(SimHttp.liveThreads(sim.threadNamePrefix()).isEmpty());
        assertTrue(SimHttp.liveThreads(sim.threadNamePrefix()).stream().allMatch(Thread::isDaemon));
    }

    @Test
    void stopIsPromptAndFinal() {
        sim.stop();
        sim.stop();
        assertFalse(sim.isRunning());
        assertThrows(java.io.IOException.class, () -> SimHttp.send(base + "/showallcalls", Duration.ofSeconds(2)));
        assertThrows(IllegalStateException.class, sim::start);
    }
}
