package pbx.presence.delivery;

import org.junit.jupiter.api.Test;
import pbx.presence.model.Availability;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Registration;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresenceFieldsTest {

    private final ExtensionPresence p = ExtensionPresence.builder("hq-3cx", "3cx-http", "201").name("Alice")
            .registration(Registration.REGISTERED).line(LineState.TALKING).activeCalls(2).build();

    @Test
    void namesAreTheRecordComponents() {
        assertEquals(Arrays.stream(ExtensionPresence.class.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toList()), PresenceFields.names());
    }

    @Test
    void readsValuesByName() {
        assertEquals("Alice", PresenceFields.value(p, "name"));
        assertEquals(LineState.TALKING, PresenceFields.value(p, "line"));
        assertEquals(2, PresenceFields.value(p, "activeCalls"));
        assertEquals(Availability.BUSY, PresenceFields.value(p, "availability"));
        assertEquals(Boolean.FALSE, PresenceFields.value(p, "acceptsCalls"));
        assertEquals(List.of(), PresenceFields.value(p, "queues"));
        assertNull(PresenceFields.value(p, "allowedCalls"));
        assertEquals(Boolean.class, PresenceFields.type("dnd"));
        assertEquals(boolean.class, PresenceFields.type("enabled"));
        assertThrows(IllegalArgumentException.class, () -> PresenceFields.type("colour"));
        for (String name : PresenceFields.names()) {
            assertTrue(PresenceFields.isField(name));
            PresenceFields.value(p, name);
        }
    }

    @Test
    void unknownNamesAreRefused() {
        assertFalse(PresenceFields.isField("colour"));
        assertFalse(PresenceFields.isField(null));
        assertFalse(PresenceFields.isField("key"));
        assertThrows(IllegalArgumentException.class, () -> PresenceFields.value(p, "colour"));
        assertThrows(IllegalArgumentException.class, () -> PresenceFields.value(p, "toBuilder"));
    }
}
