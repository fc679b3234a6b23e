package pbx.presence.connector.threecx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbx.presence.model.Presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreeCxProfileMappingTest {

    private final ThreeCxProfileMapping defaults = ThreeCxProfileMapping.defaults();

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Available        | AVAILABLE",
            "'  available  '  | AVAILABLE",
            "AVAILABLE        | AVAILABLE",
            "Away             | AWAY",
            "Out of office    | OUT_OF_OFFICE",
            "OutOfOffice      | OUT_OF_OFFICE",
            "' out  OF\tOffice ' | OUT_OF_OFFICE",
            "OUT_OF_OFFICE    | OUT_OF_OFFICE",
            "Do Not Disturb   | DND",
            "Custom 1         | CUSTOM",
            "custom1          | CUSTOM",
            "Custom 2         | CUSTOM",
            "Available2       | CUSTOM",
            "OutOfOffice2     | CUSTOM",
            "Lunch            | CUSTOM",
            "Business Trip    | CUSTOM",
            "Feierabend       | UNKNOWN",
            "Custom 3         | UNKNOWN",
            "Availablee       | UNKNOWN",
            "''               | UNKNOWN",
            "'   '            | UNKNOWN",
    })
    void mapsProfileNamesIgnoringCaseAndWhitespace(String name, Presence expected) {
        assertEquals(expected, defaults.presenceOf(name));
        assertEquals(expected != Presence.UNKNOWN || name.isBlank(), defaults.recognises(name),
                "a set name the mapping does not know is not recognised");
    }

    @Test
    void nullIsUnknown() {
        assertEquals(Presence.UNKNOWN, defaults.presenceOf(null));
    }

    @Test
    void customProfilesAreConfigurable() {
        ThreeCxProfileMapping m = new ThreeCxProfileMapping(Presence.AVAILABLE, Presence.LUNCH);
        assertEquals(Presence.AVAILABLE, m.presenceOf("Custom 1"));
        assertEquals(Presence.AVAILABLE, m.presenceOf("Available2"));
        assertEquals(Presence.LUNCH, m.presenceOf("Custom 2"));
        assertEquals(Presence.LUNCH, m.presenceOf("OutOfOffice2"));
        assertEquals(Presence.AWAY, m.presenceOf("Away"), "the fixed profiles do not move");
    }

    @Test
    void fromOptionsReadsPresenceNamesLeniently() {
        ThreeCxProfileMapping m = ThreeCxProfileMapping.fromOptions(" available ", "out of office");
        assertEquals(Presence.AVAILABLE, m.custom1());
        assertEquals(Presence.OUT_OF_OFFICE, m.custom2());
        assertEquals(ThreeCxProfileMapping.defaults(), ThreeCxProfileMapping.fromOptions(null, ""));
        assertEquals(Presence.BUSY, ThreeCxProfileMapping.fromOptions("BUSY", null).custom1());
    }

    @Test
    void fromOptionsRejectsWhatIsNotAPresenceAndSaysWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThreeCxProfileMapping.fromOptions("available", "sometimes"));
        assertTrue(e.getMessage().contains("custom2='sometimes'"), e.getMessage());
        assertTrue(e.getMessage().contains("AVAILABLE"), e.getMessage());
    }

    @Test
    void defaultsCountCustomAsCustom() {
        assertEquals(Presence.CUSTOM, defaults.custom1());
        assertEquals(Presence.CUSTOM, defaults.custom2());
        assertEquals(ThreeCxProfileMapping.DEFAULT_CUSTOM, Presence.CUSTOM);
    }
}
