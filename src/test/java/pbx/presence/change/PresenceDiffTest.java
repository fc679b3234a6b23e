package pbx.presence.change;

import org.junit.jupiter.api.Test;
import pbx.presence.model.Device;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Registration;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What counts as a change of devices, and the one difference that is recorded without an event. */
class PresenceDiffTest {

    private static ExtensionPresence with(Device d) {
        return ExtensionPresence.builder("hq", "3cx-callcontrol", "201").registration(Registration.REGISTERED)
                .device(d).observedAt(Instant.parse("2026-12-01T10:00:00Z")).build();
    }

    @Test
    void stateFromTheFirstReleaseLearnsOnlineAndDndWithoutAChange() {
        ExtensionPresence stored = with(new Device("d1", "Yealink", null, null, null));
        ExtensionPresence polled = with(new Device("d1", "Yealink", true, false, Instant.parse("2026-12-01T11:00:00Z")));
        assertEquals(List.of("devices"), PresenceDiff.changedFields(stored, polled));
        assertTrue(PresenceDiff.devicesOnlyLearned(stored, polled));
    }

    @Test
    void aKnownValueThatChangesIsAChange() {
        ExtensionPresence stored = with(new Device("d1", "Yealink", true, false, null));
        ExtensionPresence polled = with(new Device("d1", "Yealink", true, true, null));
        assertTrue(PresenceDiff.changedFields(stored, polled).contains("devices"));
        assertFalse(PresenceDiff.devicesOnlyLearned(stored, polled));
    }

    @Test
    void anotherDeviceOrUserAgentIsAChangeEvenWhenOnlineWasUnknown() {
        ExtensionPresence stored = with(new Device("d1", "Yealink", null, null, null));
        assertFalse(PresenceDiff.devicesOnlyLearned(stored, with(new Device("d2", "Yealink", true, false, null))));
        assertFalse(PresenceDiff.devicesOnlyLearned(stored, with(new Device("d1", "Snom", true, false, null))));
    }
}
