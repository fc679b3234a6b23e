package pbx.presence.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real events, serialised with {@link Json#MAPPER}, against {@code docs/event.schema.json}. */
class EventSchemaTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:15:03.120Z");
    private static final Instant T1 = Instant.parse("2026-11-22T10:15:08.455Z");

    private static ExtensionPresence idle() {
        return ExtensionPresence.builder("hq-3cx", "3cx-http", "201")
                .extensionId("17").name("Alice Smith")
                .presence(Presence.AVAILABLE).presenceLabel("Available")
                .chat(ChatStatus.ONLINE).line(LineState.IDLE)
                .registration(Registration.REGISTERED)
                .device(new Device("yealink-1", "Yealink SIP-T46U 108.86.0.20", true, false, T0.plusSeconds(3600)))
                .agent(AgentState.LOGGED_IN).queues(List.of("800", "801"))
                .vendorStatus("CurrentProfile", "Available").vendorStatus("CHATSTATUS", 0)
                .vendorStatus("nested", Map.of("a", List.of(1, 2)))
                .observedAt(T0)
                .build();
    }

    private static ExtensionPresence talking() {
        return idle().toBuilder().line(LineState.TALKING).activeCalls(1).callWaiting(false)
                .allowedCalls(EnumSet.of(CallClass.INT_IN, CallClass.EXT_IN, CallClass.EXT_OUT))
                .observedAt(T1).build();
    }

    private static PresenceEvent changed() {
        return PresenceEvent.extensionEvent(EventType.CHANGED, "hq-3cx", "201", 42, T1, idle(), talking(),
                List.of("availability", "acceptsCalls", "line", "activeCalls", "reasons"));
    }

    private static PresenceEvent added() {
        return PresenceEvent.extensionEvent(EventType.ADDED, "hq-3cx", "201", 1, T0, null, idle(), null);
    }

    private static PresenceEvent removed() {
        return PresenceEvent.extensionEvent(EventType.REMOVED, "hq-3cx", "201", 43, T1, talking(), null, null);
    }

    private static PresenceEvent down() {
        return PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, "hq-3cx", 7, T1, 3, "connect timed out");
    }

    private static PresenceEvent up() {
        return PresenceEvent.sourceEvent(EventType.SOURCE_UP, "hq-3cx", 8, Instant.parse("2026-11-22T10:20:00.000000123Z"), 0, null);
    }

    private static String json(PresenceEvent e) {
        try {
            return Json.MAPPER.writeValueAsString(e);
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    /** The event's JSON after {@code edit}. */
    private static String mutated(PresenceEvent e, Consumer<ObjectNode> edit) {
        try {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(json(e));
            edit.accept(node);
            return Json.MAPPER.writeValueAsString(node);
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    private static void assertInvalid(String json, String expectedInSomeError) {
        Set<String> errors = EventSchema.validate(json);
        assertFalse(errors.isEmpty(), "should be invalid: " + json);
        assertTrue(errors.stream().anyMatch(m -> m.contains(expectedInSomeError)),
                "expected an error mentioning '" + expectedInSomeError + "', got " + errors);
    }

    // ------------------------------------------------------------------ valid events

    @Test
    void everyEventTypeBuiltByTheModelIsValid() {
        for (PresenceEvent e : List.of(changed(), added(), removed(), down(), up())) {
            assertEquals(Set.of(), EventSchema.validate(e), e.type() + ": " + json(e));
        }
    }

    @Test
    void minimalPresenceWithNullsIsValid() {
        ExtensionPresence bare = ExtensionPresence.builder("lab", "voipnow", "7").observedAt(T0).build();
        assertEquals(Availability.UNKNOWN, bare.availability());
        EventSchema.assertValid(PresenceEvent.extensionEvent(EventType.ADDED, "lab", "7", 1, T0, null, bare, null));
        ExtensionPresence blocked = bare.toBuilder().registration(Registration.REGISTERED)
                .allowedCalls(EnumSet.noneOf(CallClass.class)).presence(Presence.CUSTOM).presenceAcceptsCalls(false)
                .device(new Device(null, null, null, null, null)).build();
        EventSchema.assertValid(PresenceEvent.extensionEvent(EventType.CHANGED, "lab", "7", 2, T1, bare, blocked,
                List.of("registration", "allowedCalls", "presence", "presenceAcceptsCalls", "devices", "availability")));
    }

    @Test
    void everyAvailabilityAndReasonTheRuleProducesIsValid() {
        List<ExtensionPresence> states = List.of(
                idle().toBuilder().enabled(false).build(),
                idle().toBuilder().dnd(true).chat(ChatStatus.DND).build(),
                idle().toBuilder().presence(Presence.OUT_OF_OFFICE).chat(ChatStatus.OFFLINE).build(),
                idle().toBuilder().line(LineState.RINGING).presence(Presence.BUSY).build(),
                idle().toBuilder().registration(Registration.NOT_REGISTERED).devices(List.of()).build(),
                idle().toBuilder().chat(ChatStatus.UNKNOWN).unrecognised(Dimension.CHAT).unrecognised(Dimension.LINE).build());
        long seq = 1;
        for (ExtensionPresence s : states) {
            EventSchema.assertValid(PresenceEvent.extensionEvent(EventType.CHANGED, "hq-3cx", "201", seq++, T1,
                    idle(), s, List.of("availability")));
        }
    }

    // ------------------------------------------------------------------ mutations fail

    @Test
    void devicesCarryOnlineAndDnd() throws Exception {
        JsonNode device = Json.MAPPER.readTree(json(changed())).at("/data/after/devices/0");
        assertEquals(true, device.get("online").booleanValue());
        assertEquals(false, device.get("dnd").booleanValue());
        assertInvalid(mutated(changed(), n -> ((ObjectNode) data(n).get("after").get("devices").get(0)).remove("online")), "online");
    }

    @Test
    void missingIdFails() {
        assertInvalid(mutated(changed(), n -> n.remove("id")), "id");
    }

    @Test
    void unknownAvailabilityValueFails() {
        assertInvalid(mutated(changed(), n -> ((ObjectNode) data(n).get("after")).put("availability", "MAYBE")),
                "availability");
    }

    @Test
    void unknownEnumValuesInNestedFieldsFail() {
        assertFalse(EventSchema.validate(mutated(changed(),
                n -> ((ArrayNode) data(n).get("after").get("reasons")).add("BECAUSE"))).isEmpty());
        assertFalse(EventSchema.validate(mutated(changed(),
                n -> ((ObjectNode) data(n).get("after")).putArray("allowedCalls").add("EVERYTHING"))).isEmpty());
        assertFalse(EventSchema.validate(mutated(changed(),
                n -> ((ObjectNode) data(n).get("before")).put("line", "talking"))).isEmpty());
        assertFalse(EventSchema.validate(mutated(changed(),
                n -> ((ArrayNode) data(n).get("changed")).add("colour"))).isEmpty());
        assertInvalid(mutated(changed(), n -> n.put("type", "pbx.presence.updated")), "type");
    }

    @Test
    void extraFieldFails() {
        assertInvalid(mutated(changed(), n -> n.put("sequnce", 42)), "sequnce");
        assertInvalid(mutated(changed(), n -> ((ObjectNode) data(n).get("after")).put("mood", "happy")), "mood");
        assertInvalid(mutated(changed(), n -> data(n).put("extra", true)), "extra");
        assertInvalid(mutated(changed(),
                n -> ((ObjectNode) data(n).get("after").get("devices").get(0)).put("ip", "10.0.0.1")), "ip");
    }

    @Test
    void missingPresenceFieldFails() {
        assertInvalid(mutated(changed(), n -> ((ObjectNode) data(n).get("after")).remove("observedAt")), "observedAt");
        assertInvalid(mutated(changed(), n -> ((ObjectNode) data(n).get("after")).putNull("availability")), "availability");
    }

    @Test
    void changedEventWithoutBeforeFails() {
        assertInvalid(mutated(changed(), n -> data(n).remove("before")), "before");
        assertInvalid(mutated(changed(), n -> data(n).remove("changed")), "changed");
        assertInvalid(mutated(changed(), n -> data(n).putArray("changed")), "changed");
        assertInvalid(mutated(changed(), n -> n.remove("subject")), "subject");
    }

    @Test
    void addedRemovedAndSourceEventsNeedTheirData() {
        assertInvalid(mutated(added(), n -> data(n).remove("after")), "after");
        assertInvalid(mutated(removed(), n -> data(n).remove("before")), "before");
        assertInvalid(mutated(down(), n -> data(n).remove("sourceId")), "sourceId");
        assertInvalid(mutated(up(), n -> data(n).remove("sourceId")), "sourceId");
        // data of the wrong kind for the type
        assertFalse(EventSchema.validate(mutated(added(), n -> data(n).set("before", data(n).get("after")))).isEmpty());
        assertFalse(EventSchema.validate(mutated(removed(), n -> data(n).set("after", data(n).get("before")))).isEmpty());
        assertFalse(EventSchema.validate(mutated(changed(), n -> data(n).put("sourceId", "hq-3cx"))).isEmpty());
        assertFalse(EventSchema.validate(mutated(down(), n -> data(n).set("after",
                Json.MAPPER.valueToTree(idle())))).isEmpty());
    }

    @Test
    void envelopeAttributesAreChecked() {
        assertInvalid(mutated(changed(), n -> n.put("specversion", "0.3")), "specversion");
        assertInvalid(mutated(changed(), n -> n.put("sequence", 0)), "sequence");
        assertInvalid(mutated(changed(), n -> n.put("sequence", "42")), "sequence");
        assertInvalid(mutated(changed(), n -> n.put("time", "yesterday")), "time");
        assertInvalid(mutated(changed(), n -> ((ObjectNode) data(n).get("after")).put("observedAt", "10:15")),
                "observedAt");
        assertInvalid(mutated(changed(), n -> n.put("source", "hq-3cx")), "source");
        assertInvalid(mutated(changed(), n -> n.remove("datacontenttype")), "datacontenttype");
        assertFalse(EventSchema.validate("{not json").isEmpty());
    }

    // ------------------------------------------------------------------ the schema follows the Java model

    private static JsonNode defs() {
        return EventSchema.schemaNode().get("$defs");
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toList());
    }

    private static List<String> names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.toList());
    }

    @Test
    void schemaPropertiesMatchTheRecords() {
        JsonNode presence = defs().get("presence");
        List<String> fields = components(ExtensionPresence.class);
        assertEquals(fields, new ArrayList<>(fieldNames(presence.get("properties"))));
        assertEquals(fields, texts(presence.get("required")));
        assertEquals(fields, texts(defs().get("presenceField").get("enum")));
        assertEquals(components(Device.class), new ArrayList<>(fieldNames(defs().get("device").get("properties"))));
        assertEquals(components(PresenceEvent.Data.class), new ArrayList<>(fieldNames(defs().get("data").get("properties"))));
        assertEquals(Set.copyOf(components(PresenceEvent.class)),
                fieldNames(EventSchema.schemaNode().get("properties")));
    }

    @Test
    void schemaEnumsMatchTheJavaEnums() {
        JsonNode p = defs().get("presence").get("properties");
        assertEquals(names(Presence.class), texts(p.get("presence").get("enum")));
        assertEquals(names(ChatStatus.class), texts(p.get("chat").get("enum")));
        assertEquals(names(LineState.class), texts(p.get("line").get("enum")));
        assertEquals(names(Registration.class), texts(p.get("registration").get("enum")));
        assertEquals(names(AgentState.class), texts(p.get("agent").get("enum")));
        assertEquals(names(Availability.class), texts(p.get("availability").get("enum")));
        assertEquals(names(CallClass.class), texts(p.get("allowedCalls").get("items").get("enum")));
        assertEquals(names(Reason.class), texts(p.get("reasons").get("items").get("enum")));
        assertEquals(names(Dimension.class), texts(p.get("unrecognised").get("items").get("enum")));
        assertEquals(Arrays.stream(EventType.values()).map(EventType::wire).collect(Collectors.toList()),
                texts(EventSchema.schemaNode().get("properties").get("type").get("enum")));
    }
}
