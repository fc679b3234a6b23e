package pbx.presence.connector;

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
import pbx.presence.model.Json;

import java.io.IOException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * {@link LenientJson#parse} for bodies made of many small objects (a VoipNow page: 5,000 entries, each
 * with a registration object): the same tree, the same errors, but each object keeps its fields in
 * two small arrays instead of a hash map. Jackson's tree gives every object a {@code LinkedHashMap},
 * and filling those maps was the larger part of reading such a page (issue 13, docs/benchmarks.md).
 *
 * <p>The tree is an ordinary Jackson tree ({@link ObjectNode} accepts the map it keeps its fields in):
 * the same node types for the same values, fields in document order, the last of a repeated name
 * winning in the place of the first, as {@code readTree} does. An object with more than
 * {@value #ARRAY_FIELDS} fields moves its fields into a {@code LinkedHashMap}, so a large object is
 * never searched field by field. Anything malformed is handed to {@link LenientJson#parse}, which
 * fails at the same place and words it.
 */
public final class CompactJsonTree {

    /** Up to this many fields an object is searched by comparing names. */
    static final int ARRAY_FIELDS = 8;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CompactJsonTree() {
    }

    /** As {@link LenientJson#parse(byte[], String, String)}, same root, same exceptions. */
    public static JsonNode parse(byte[] body, String what, String expected) {
        if (body == null || body.length == 0) {
            return LenientJson.parse(body, what, expected);
        }
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                return LenientJson.parse(body, what, expected); // a scalar or nothing: the general path words it
            }
            JsonNode root = value(p, t);
            if (p.nextToken() != null) {
                return LenientJson.parse(body, what, expected); // trailing tokens: rejected there, with its message
            }
            return root;
        } catch (JsonProcessingException e) {
            LenientJson.parse(body, what, expected); // fails at the same place, worded as always
            throw LenientJson.failure(e, body, what, expected);
        } catch (IOException e) {
            throw new PayloadException(what + ": unreadable: " + e.getMessage(), e);
        }
    }

    /** The value that starts with token {@code t}. */
    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Fields fields = new Fields();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    fields.put(name, value(p, p.nextToken()));
                }
                return new ObjectNode(NODES, fields);
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(value(p, e));
                }
                return a;
            }
            default:
                return scalar(p, t);
        }
    }

    /**
     * A value that is not an object or array, as a whole tree would hold it: the usual scalars without
     * the tree machinery; fractions, huge integers and embedded objects exactly as readTree makes them.
     */
    public static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.instance;
            case VALUE_NUMBER_INT:
                JsonParser.NumberType type = p.getNumberType();
                if (type == JsonParser.NumberType.INT) {
                    return IntNode.valueOf(p.getIntValue());
                }
                if (type == JsonParser.NumberType.LONG) {
                    return LongNode.valueOf(p.getLongValue());
                }
                return whole(p);
            default:
                return whole(p);
        }
    }

    /** The current value, whatever it is, read by Jackson as a whole tree reads it. */
    private static JsonNode whole(JsonParser p) throws IOException {
        JsonNode n = Json.MAPPER.readTree(p);
        return n == null ? NullNode.instance : n;
    }

    /**
     * An object's fields: names and values in two arrays, in insertion order, until there are more than
     * {@link #ARRAY_FIELDS}; then a LinkedHashMap. Putting a name again replaces its value in place.
     */
    static final class Fields extends AbstractMap<String, JsonNode> {
        private String[] names = new String[4];
        private JsonNode[] values = new JsonNode[4];
        private int size;
        /** Set once the object outgrew the arrays. */
        private LinkedHashMap<String, JsonNode> map;

        private int indexOf(Object name) {
            for (int i = 0; i < size; i++) {
                if (names[i] == name) { // names from the parser are canonical strings: usually the same instance
                    return i;
                }
            }
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public JsonNode get(Object name) {
            if (map != null) {
                return map.get(name);
            }
            int i = indexOf(name);
            return i < 0 ? null : values[i];
        }

        @Override
        public boolean containsKey(Object name) {
            return map != null ? map.containsKey(name) : indexOf(name) >= 0;
        }

        @Override
        public JsonNode put(String name, JsonNode value) {
            if (map != null) {
                return map.put(name, value);
            }
            int i = indexOf(name);
            if (i >= 0) {
                JsonNode old = values[i];
                values[i] = value;
                return old;
            }
            if (size == ARRAY_FIELDS) {
                map = new LinkedHashMap<>();
                for (int k = 0; k < size; k++) {
                    map.put(names[k], values[k]);
                }
                names = null;
                values = null;
                return map.put(name, value);
            }
            if (size == names.length) {
                names = java.util.Arrays.copyOf(names, ARRAY_FIELDS);
                values = java.util.Arrays.copyOf(values, ARRAY_FIELDS);
            }
            names[size] = name;
            values[size] = value;
            size++;
            return null;
        }

        @Override
        public JsonNode remove(Object name) {
            if (map != null) {
                return map.remove(name);
            }
            int i = indexOf(name);
            if (i < 0) {
                return null;
            }
            JsonNode old = values[i];
            System.arraycopy(names, i + 1, names, i, size - i - 1);
            System.arraycopy(values, i + 1, values, i, size - i - 1);
            size--;
            names[size] = null;
            values[size] = null;
            return old;
        }

        @Override
        public void clear() {
            if (map != null) {
                map.clear();
                return;
            }
            java.util.Arrays.fill(names, null);
            java.util.Arrays.fill(values, null);
            size = 0;
        }

        @Override
        public int size() {
            return map != null ? map.size() : size;
        }

        @Override
        public Set<Map.Entry<String, JsonNode>> entrySet() {
            if (map != null) {
                return map.entrySet();
            }
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return Fields.this.size();
                }

                @Override
                public Iterator<Map.Entry<String, JsonNode>> iterator() {
                    return new Iterator<>() {
                        private int next;
                        private int last = -1;

                        @Override
                        public boolean hasNext() {
                            return map == null ? next < size : false;
                        }

                        @Override
                        public Map.Entry<String, JsonNode> next() {
                            if (!hasNext()) {
                                throw new NoSuchElementException();
                            }
                            last = next++;
                            int at = last;
                            return new Map.Entry<>() {
                                @Override
                                public String getKey() {
                                    return names[at];
                                }

                                @Override
                                public JsonNode getValue() {
                                    return values[at];
                                }

                                @Override
                                public JsonNode setValue(JsonNode v) {
                                    JsonNode old = values[at];
                                    values[at] = v;
                                    return old;
                                }

                                @Override
                                public boolean equals(Object o) {
                                    return o instanceof Map.Entry<?, ?> e && java.util.Objects.equals(getKey(), e.getKey())
                                            && java.util.Objects.equals(getValue(), e.getValue());
                                }

                                @Override
                                public int hashCode() {
                                    return java.util.Objects.hashCode(getKey()) ^ java.util.Objects.hashCode(getValue());
                                }
                            };
                        }

                        @Override
                        public void remove() {
                            if (last < 0) {
                                throw new IllegalStateException();
                            }
                            Fields.this.remove(names[last]);
                            next = last;
                            last = -1;
                        }
                    };
                }
            };
        }
    }
}
