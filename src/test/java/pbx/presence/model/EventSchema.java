package pbx.presence.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test helper: validates event JSON against {@code docs/event.schema.json} (JSON Schema 2020-12, format
 * assertions on, so {@code date-time} is checked). The schema file is read once, from the working
 * directory (the project root under Maven) or the nearest parent that has it.
 *
 * <pre>{@code
 * Set<String> errors = EventSchema.validate(json);      // empty when valid
 * EventSchema.assertValid(event);                       // AssertionError listing every error
 * }</pre>
 */
public final class EventSchema {

    /** The schema's path relative to the project root. */
    public static final Path SCHEMA_FILE = Path.of("docs", "event.schema.json");

    private static volatile JsonSchema schema;

    private EventSchema() {
    }

    /** The schema file as found from the working directory. */
    public static Path schemaPath() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve(SCHEMA_FILE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(SCHEMA_FILE + " not found from " + dir);
    }

    /** The schema document itself, parsed (for tests that inspect it). */
    public static JsonNode schemaNode() {
        try {
            return Json.MAPPER.readTree(Files.readString(schemaPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema schema() {
        JsonSchema s = schema;
        if (s == null) {
            synchronized (EventSchema.class) {
                s = schema;
                if (s == null) {
                    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                            .formatAssertionsEnabled(true)
                            .build();
                    String text;
                    try {
                        text = Files.readString(schemaPath(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(text, config);
                    s.initializeValidators();
                    schema = s;
                }
            }
        }
        return s;
    }

    /** Every violation (sorted), or an empty set when {@code json} is a valid event. Unparseable JSON is one error. */
    public static Set<String> validate(String json) {
        Set<String> errors = new TreeSet<>();
        if (json == null) {
            errors.add("not JSON: null");
            return errors;
        }
        try {
            Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            errors.add("not JSON: " + e.getOriginalMessage());
            return errors;
        }
        for (ValidationMessage m : schema().validate(json, InputFormat.JSON)) {
            errors.add(m.getMessage());
        }
        return errors;
    }

    /** As {@link #validate(String)} for an event serialised with {@link Json#MAPPER}. */
    public static Set<String> validate(PresenceEvent event) {
        return validate(toJson(event));
    }

    /** Throws an AssertionError listing every violation when {@code json} is not a valid event. */
    public static void assertValid(String json) {
        Set<String> errors = validate(json);
        if (!errors.isEmpty()) {
            throw new AssertionError("event does not match " + SCHEMA_FILE + ": " + errors + "\n" + json);
        }
    }

    /** Throws an AssertionError listing every violation when {@code event} does not serialise to a valid event. */
    public static void assertValid(PresenceEvent event) {
        assertValid(toJson(event));
    }

    private static String toJson(PresenceEvent event) {
        try {
            return Json.MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.id(), e);
        }
    }
}
