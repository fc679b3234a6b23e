package pbx.presence.routing;

import org.junit.jupiter.api.Test;
import pbx.presence.demo.SimulatedCall;

import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stopping router mails the open digest window instead of dropping it. */
class EmailDigestShutdownTest extends EmailRouterTest {

    @Override
    protected void emailProperties(Properties p) {
        p.put("presence.email.digest-seconds", "3600");
    }

    @Test
    void stoppingTheRouterMailsTheOpenWindow() throws Exception {
        awaitBaseline();
        var pbx = demo().pbx();
        pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        eventually().until(() -> fileEvents(CC, "202").size() == 1);
        // the outbox file is gone once the event is in the (in-memory) window
        eventually().until(() -> emailOutbox().isEmpty());
        assertTrue(mails().isEmpty(), "the hour-long window is still open");

        context.stop();
        eventually().until(() -> mails().size() == 1);
        assertEquals(List.of("PBX presence: 1 change (202 Bob Becker BUSY)"), subjects());
    }
}
