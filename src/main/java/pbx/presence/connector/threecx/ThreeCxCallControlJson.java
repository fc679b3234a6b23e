package pbx.presence.connector.threecx;

import pbx.presence.connector.CompactJsonTree;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.model.Json;

import java.io.IOException;
import java.util.Set;

/**
 * Reads a 3CX Call Control payload into the tree {@link ThreeCxCallControlTranslator} walks, keeping
 * only what the translation uses: of each extension object the fields it reads (everything else is
 * skipped by the parser without being decoded), and of its {@code Properties} strings only the
 * wanted ones (a property's key is compared in the body's bytes, and the others are skipped undecoded). An extension is about 2 KB, most of it 21 property strings of which two are used, so
 * building the whole tree first cost more than the translation itself (issue 13, docs/benchmarks.md).
 *
 * <p>What the translator sees is the same as from a whole tree: the same node for each field it reads
 * (the last one when a name repeats), every element of the top-level array, and anything that is not
 * the usual shape (a top level that is no array or object, a field that is an object or array where a
 * value is expected, an odd number) read whole by Jackson. Malformed JSON is reported exactly as
 * {@link LenientJson#parse} reports it: the body is then parsed again by it.
 */
final class ThreeCxCallControlJson {

    /** The fields of an extension object the translator reads. */
    private static final Set<String> USED_FIELDS = Set.of("Number", "Name", "ID", "Id", "id", "Enabled", "UserStatus",
            "CurrentProfile", "IsRegistered", "QueueStatus", "Status", "ActiveConnections", "Properties");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ThreeCxCallControlJson() {
    }

    /**
     * @param what     names the body in messages
     * @param expected what an empty body should have been
     * @throws PayloadException for an empty, truncated or malformed body, worded as {@link LenientJson#parse}
     */
    static JsonNode read(byte[] payload, Set<String> wantedProperties, String what, String expected) {
        if (payload == null || payload.length == 0) {
            return LenientJson.parse(payload, what, expected);
        }
        try (JsonParser p = Json.MAPPER.createParser(payload)) {
            JsonToken t = p.nextToken();
            JsonNode root;
            if (t == JsonToken.START_ARRAY) {
                ArrayNode a = NODES.arrayNode();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(t == JsonToken.START_OBJECT ? extension(p, payload, wantedProperties) : CompactJsonTree.scalar(p, p.currentToken()));
                }
                root = a;
            } else if (t == JsonToken.START_OBJECT) {
                root = extension(p, payload, wantedProperties);
            } else {
                return LenientJson.parse(payload, what, expected); // a scalar, blank: the general path words it
            }
            if (p.nextToken() != null) {
                return LenientJson.parse(payload, what, expected); // trailing tokens: rejected there, with its message
            }
            return root;
        } catch (JsonProcessingException e) {
            // malformed: the general parse fails at the same place and words it; should it not fail (a limit
            // only a whole tree checks, e.g. an overlong string in a skipped field), the streaming error is used
            LenientJson.parse(payload, what, expected);
            throw LenientJson.failure(e, payload, what, expected);
        } catch (IOException e) {
            throw new PayloadException(what + ": unreadable: " + e.getMessage(), e);
        }
    }

    /** The parser is at an extension's START_OBJECT; returns the object with the used fields only. */
    private static ObjectNode extension(JsonParser p, byte[] body, Set<String> wantedProperties) throws IOException {
        ObjectNode o = NODES.objectNode();
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if (!USED_FIELDS.contains(name)) {
                p.skipChildren();
            } else if (name.equals("Properties") && t == JsonToken.START_ARRAY) {
                o.set(name, properties(p, body, wantedProperties));
            } else {
                o.set(name, CompactJsonTree.scalar(p, t)); // set replaces: the last of a repeated name wins, as in a whole tree
            }
        }
        return o;
    }

    /**
     * The parser is at a Properties START_ARRAY: the wanted {@code KEY=…} strings and every object element
     * (the {@code {Name, Value}} shape), in order; other strings and other elements are left out, as
     * {@link ThreeCxProperties#read} ignores them.
     */
    private static ArrayNode properties(JsonParser p, byte[] body, Set<String> wanted) throws IOException {
        ArrayNode a = NODES.arrayNode(2);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                // decided from the body's bytes where it can be, so that unwanted strings are skipped undecoded
                Boolean keep = ThreeCxProperties.wantedInBody(body, p.currentTokenLocation().getByteOffset(), wanted);
                if (keep == null) {
                    keep = ThreeCxProperties.wanted(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), wanted);
                }
                if (keep) {
                    a.add(TextNode.valueOf(p.getText()));
                }
            } else if (t == JsonToken.START_OBJECT) {
                a.add(CompactJsonTree.scalar(p, p.currentToken()));
            } else {
                p.skipChildren();
            }
        }
        return a;
    }
}
