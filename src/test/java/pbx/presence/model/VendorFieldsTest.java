package pbx.presence.model;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VendorFieldsTest {

    @Test
    void keepsInsertionOrderAndReplacesInPlaceLikeALinkedHashMap() throws Exception {
        VendorFields.Builder b = VendorFields.builder(1);
        LinkedHashMap<String, Object> expected = new LinkedHashMap<>();
        for (String k : List.of("status", "registration", "expire", "status", "agent", "a", "b", "c", "registration")) {
            b.put(k, k.length());
            expected.put(k, k.length());
        }
        VendorFields fields = b.build();
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(fields.keySet()));
        assertEquals(expected, fields);
        assertEquals(fields, expected);
        assertEquals(expected.hashCode(), fields.hashCode());
        assertEquals(Json.MAPPER.writeValueAsString(expected), Json.MAPPER.writeValueAsString(fields));
        assertEquals(5, fields.get("agent"));
        assertEquals(null, fields.get("missing"));
    }

    @Test
    void aBuiltMapNeverChanges() {
        VendorFields.Builder b = VendorFields.builder(2).put("a", 1);
        VendorFields first = b.build();
        b.put("a", 2).put("b", 3);
        assertEquals(Map.of("a", 1), first);
        assertEquals(Map.of("a", 2, "b", 3), b.build());
        assertThrows(UnsupportedOperationException.class, () -> first.put("c", 4));
        assertThrows(UnsupportedOperationException.class, () -> first.entrySet().iterator().next().setValue(9));
        assertSame(first, VendorFields.copyOf(first));
    }

    @Test
    void aRecordsVendorStatusKeepsTheOrderItWasGivenIn() throws Exception {
        ExtensionPresence p = ExtensionPresence.builder("s", "v", "201").vendorStatus("z", 1).vendorStatus("a", "x")
                .vendorStatus("z", 2).build();
        assertEquals("{\"z\":2,\"a\":\"x\"}", Json.MAPPER.writeValueAsString(p.vendorStatus()));
        ExtensionPresence again = p.toBuilder().vendorStatus("m", true).build();
        assertEquals("{\"z\":2,\"a\":\"x\",\"m\":true}", Json.MAPPER.writeValueAsString(again.vendorStatus()));
        assertEquals("{\"z\":2,\"a\":\"x\"}", Json.MAPPER.writeValueAsString(p.vendorStatus()));
    }
}
