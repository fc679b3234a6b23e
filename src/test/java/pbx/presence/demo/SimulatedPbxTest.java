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
    void pagesFollowTheOrderOfAllAndSeeEveryChange() {
        SimulatedPbx pbx = new SimulatedPbx();
        for (int n = 250; n >= 1; n--) {
            pbx.put(SimulatedExtension.of(Integer.toString(n), "E" + n));
        }
        List<SimulatedExtension> paged = new java.util.ArrayList<>();
        for (int start = 0; start < 250; start += 100) {
            paged.addAll(pbx.page(start, 100));
        }
        assertEquals(pbx.all(), paged, "pages of 100 are all() in order (9 before 10 before 100)");
        pbx.update("150", e -> SimulatedExtension.of("150", "renamed"));
        assertEquals("renamed", pbx.page(149, 1).get(0).name(), "a changed extension is served as it is now");
        pbx.remove("1");
        pbx.put(SimulatedExtension.of("251", "new"));
        assertEquals("2", pbx.page(0, 1).get(0).number(), "a removed extension is gone from the pages");
        assertEquals("251", pbx.page(249, 5).get(0).number(), "an added one is in its place");
        assertEquals(List.of(), pbx.page(250, 5), "past the end: nothing");
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
