package pbx.presence.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class SimulatedPbxTest {

    @Test
    void putGetUpdateRemove() {
        SimulatedPbx pbx = new SimulatedPbx();
        pbx.put(SimulatedExtension.of("1000", "Z"));
        pbx.put(SimulatedExtension.of("999", "Y"));
        pbx.put(SimulatedExtension.of("201", "A"));
        assertEquals(List.of("201", "999", "1000"), pbx.all().stream().map(SimulatedExtension::number).toList());

        SimulatedExtension changed = pbx.update("201", e -> e.withChatStatus(3).withProfile("Custom 2"));
        assertEquals(3, changed.chatStatus());
        assertEquals(changed, pbx.get("201").orElseThrow());
        assertThrows(NoSuchElementException.class, () -> pbx.update("202", e -> e));
        assertThrows(IllegalArgumentException.class, () -> pbx.update("201", e -> SimulatedExtension.of("202", "B")));
        assertTrue(pbx.remove("999").isPresent());
        assertTrue(pbx.get("999").isEmpty());
        assertEquals(2, pbx.size());
    }

    @Test
    void extensionsAreImmutable() {
        SimulatedExtension e = SimulatedExtension.of("201", "A");
        SimulatedExtension withCall = e.withCall(SimulatedCall.direct(1, SimulatedCall.RINGING, "+49"));
        assertTrue(e.calls().isEmpty());
        assertEquals(1, withCall.calls().size());
        assertThrows(UnsupportedOperationException.class, () -> withCall.calls().add(SimulatedCall.direct(2, "Connected", "")));
        assertEquals(SimulatedCall.CONNECTED, withCall.withCallsInState(SimulatedCall.CONNECTED).firstCall().state());
        assertTrue(withCall.withoutCall(1).calls().isEmpty());
        assertNotEquals(e, e.withRegistered(false));
    }

    @Test
    void callIdsAreNeverReused() {
        SimulatedPbx pbx = new SimulatedPbx();
        long a = pbx.nextCallId();
        assertEquals(98741, a);
        assertEquals(a + 1, pbx.nextCallId());
    }
}
