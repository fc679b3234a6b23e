package pbx.presence.connector;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@link CompactJsonTree#parse} gives what {@link LenientJson#parse} gives: the same tree, or the same error. */
class CompactJsonTreeTest {

    private static final List<String> SHAPES = List.of(
            "{\"a\":1,\"b\":\"x\",\"a\":2}", // a repeated name: the last value, in the first one's place
            "{\"f1\":1,\"f2\":2,\"f3\":3,\"f4\":4,\"f5\":5,\"f6\":6,\"f7\":7,\"f8\":8,\"f9\":9,\"f2\":22,\"f10\":[1,{\"x\":null}]}",
            "[1, 2147483648, 9223372036854775808, 1.5, -0.0, 1e400, true, false, null, \"\\u00e9\\n\"]",
            "{\"entry\":{\"extension\":201}}", "[]", "{}", "[[[]]]", "{\"a\":{\"b\":{\"c\":[{}]}}}",
            "", " ", "\u00a0", "17", "\"text\"", "null", "[]]", "{} {}", "{\"a\":", "{\"a\" 1}", "[1,]", "{\"a\":tru}",
            "[\"\u0001\"]", "{\"a\":\"\\q\"}", "[1 2]");

    @Test
    void sameTreeOrSameErrorForEveryShape() {
        for (String s : SHAPES) {
            same(s.getBytes(StandardCharsets.UTF_8));
        }
        same(new byte[] {'[', '"', (byte) 0xC3, '"', ']'}); // a cut UTF-8 sequence
    }

    @Test
    void sameTreeOrSameErrorForEveryVendorFixtureAndThousandsOfMutations() throws IOException {
        List<byte[]> fixtures = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/vendors"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                fixtures.add(Files.readAllBytes(f));
            }
        }
        assertFalse(fixtures.isEmpty(), "vendor fixtures found");
        Random random = new Random(13);
        for (byte[] f : fixtures) {
            same(f);
            for (int i = 0; i < 100; i++) {
                same(TranslatorFuzzTest.mutateBytes(f, random));
            }
        }
    }

    @Test
    void fieldsCanBeChangedLikeAnyObjectNodeFields() {
        JsonNode n = CompactJsonTree.parse("{\"a\":1,\"b\":2,\"c\":3}".getBytes(StandardCharsets.UTF_8), "t", "JSON");
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) n;
        o.remove("b");
        o.put("d", 4);
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            if (it.next().getKey().equals("a")) {
                it.remove();
            }
        }
        for (int i = 0; i < 10; i++) {
            o.put("n" + i, i);
        }
        assertEquals("{\"c\":3,\"d\":4,\"n0\":0,\"n1\":1,\"n2\":2,\"n3\":3,\"n4\":4,\"n5\":5,\"n6\":6,\"n7\":7,\"n8\":8,\"n9\":9}", o.toString());
        assertEquals(o, LenientJson.parse(o.toString().getBytes(StandardCharsets.UTF_8), "t"));
    }

    private static void same(byte[] body) {
        String expected = outcome(() -> LenientJson.parse(body, "body", "JSON"));
        String actual = outcome(() -> CompactJsonTree.parse(body, "body", "JSON"));
        assertEquals(expected, actual, new String(body, StandardCharsets.UTF_8));
    }

    /** The tree (its text, node types and equality with a plain tree) or the error message. */
    private static String outcome(java.util.function.Supplier<JsonNode> parse) {
        try {
            JsonNode n = parse.get();
            return "tree " + n + " " + types(n, new StringBuilder()) + " " + n.equals(LenientJson.parse(n.toString()
                    .getBytes(StandardCharsets.UTF_8), "again"));
        } catch (PayloadException e) {
            return "error " + e.getMessage();
        }
    }

    private static StringBuilder types(JsonNode n, StringBuilder out) {
        out.append(n.getClass().getSimpleName()).append(n.isNumber() ? n.numberType() : "").append(' ');
        n.forEach(child -> types(child, out));
        return out;
    }
}
