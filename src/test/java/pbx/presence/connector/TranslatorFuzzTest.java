package pbx.presence.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.change.ChangeDetector;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.connector.threecx.ThreeCxCallControlTranslator;
import pbx.presence.connector.threecx.ThreeCxHttpPayload;
import pbx.presence.connector.threecx.ThreeCxHttpTranslator;
import pbx.presence.connector.threecx.ThreeCxProfileMapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based fuzzing of every translator with thousands of mutations of its seed payloads:
 * truncation, deleted or flipped bytes, values replaced by other types, undocumented enum values,
 * duplicated elements. Property 1: only {@link PayloadException} may escape (never an NPE, a
 * ClassCastException, a Jackson error). Property 2: a rejected payload, handled as the pipeline does
 * (a failed poll), leaves the stored state byte for byte unchanged. Seed: {@code -Dfuzz.seed=N}.
 */
class TranslatorFuzzTest {

    private static final int CASES_PER_SEED_PAYLOAD = Integer.getInteger("fuzz.cases", 1000);
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @TempDir
    Path dir;

    /** A translator under test as a function of raw bytes, with the seed payloads to mutate. */
    record Target(String name, boolean json, List<byte[]> seeds, Function<byte[], List<ExtensionPresence>> translate) {
    }

    static List<Target> targets() {
        ThreeCxCallControlTranslator cc = new ThreeCxCallControlTranslator("fuzz", ThreeCxProfileMapping.defaults(), false);
        ThreeCxHttpTranslator text = new ThreeCxHttpTranslator("fuzz", ThreeCxProfileMapping.defaults());
        List<Target> t = new ArrayList<>();
        t.add(new Target("3cx-callcontrol", true, fixtures("3cx-callcontrol", "seed-000-extension.json", "several.json", "on-call.json"),
                b -> cc.translate(b, NOW)));
        // 3cx-http: the fuzzed bytes are a showallcalls body, a showstatus body and a dnregs body joined by NUL
        t.add(new Target("3cx-http", false, List.of(
                join(fixture("3cx-http", "showallcalls-seed.txt"), fixture("3cx-http", "showstatus-out-of-office.html"), fixture("3cx-http", "dnregs-one.txt")),
                join(fixture("3cx-http", "showallcalls-semicolon.txt"), fixture("3cx-http", "showstatus-available.txt"), fixture("3cx-http", "dnregs-two.html"))),
                b -> {
                    String[] parts = new String(b, StandardCharsets.UTF_8).split("\u0000", -1);
                    String calls = parts.length > 0 ? parts[0] : "";
                    String status = parts.length > 1 ? parts[1] : "";
                    String regs = parts.length > 2 ? parts[2] : "";
                    return text.translate(new ThreeCxHttpPayload(calls, Map.of("201", status), Map.of("201", regs)), NOW);
                }));
        t.addAll(VendorFuzzTargets.all(NOW));
        return t;
    }

    @TestFactory
    Stream<DynamicTest> onlyPayloadExceptionEscapesAndRejectedPayloadsChangeNoState() {
        long seed = Long.getLong("fuzz.seed", 20261122L);
        return targets().stream().map(target -> DynamicTest.dynamicTest(target.name(), () -> fuzz(target, seed)));
    }

    private void fuzz(Target target, long seed) throws Exception {
        Random random = new Random(seed ^ target.name().hashCode());
        Path root = dir.resolve(target.name());
        java.nio.file.Files.createDirectories(root);
        JdbcEventStore store = Stores.embedded(root.resolve("presence.db"));
        ChangeDetector detector = new ChangeDetector(store, Integer.MAX_VALUE, false);
        // a baseline from the first seed, so that there is state to protect
        detector.onSnapshot("fuzz", target.translate().apply(target.seeds().get(0)), NOW);
        java.util.function.Supplier<Object> stateFile = () -> store.load("fuzz").orElseThrow();
        int accepted = 0;
        int rejected = 0;
        for (byte[] original : target.seeds()) {
            for (int i = 0; i < CASES_PER_SEED_PAYLOAD; i++) {
                byte[] mutated = target.json() && random.nextBoolean() ? mutateJson(original, random) : mutateBytes(original, random);
                List<ExtensionPresence> out;
                try {
                    out = target.translate().apply(mutated);
                } catch (PayloadException e) {
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a rejection says what was wrong");
                    Object before = stateFile.get();
                    detector.onFailure("fuzz", e.getMessage(), NOW);
                    assertEquals(before, stateFile.get(), "a rejected payload changed the state");
                    rejected++;
                    continue;
                } catch (Throwable t) {
                    fail(target.name() + ": " + t.getClass().getName() + " escaped for mutation " + i + " (seed " + seed
                            + "): " + t.getMessage() + "\npayload: " + preview(mutated), t);
                    return;
                }
                for (ExtensionPresence p : out) {
                    assertTrue(p.availability() != null && p.reasons() != null && p.observedAt() != null,
                            target.name() + ": an accepted record is complete");
                }
                try {
                    detector.onSnapshot("fuzz", out, NOW);
                } catch (PayloadException e) {
                    rejected++; // e.g. one extension twice in a snapshot: rejected by the detector, no state change
                }
                accepted++;
            }
        }
        store.close();
        System.out.printf("fuzz %s: %d accepted, %d rejected%n", target.name(), accepted, rejected);
        assertTrue(rejected > 0 && accepted > 0, target.name() + ": the mutations exercised both outcomes");
    }

    // ---- mutations --------------------------------------------------------------------------

    static byte[] mutateBytes(byte[] in, Random r) {
        byte[] b = in.clone();
        switch (r.nextInt(6)) {
            case 0 -> {
                return Arrays.copyOf(b, r.nextInt(Math.max(1, b.length)));
            }
            case 1 -> {
                int from = r.nextInt(Math.max(1, b.length));
                int to = Math.min(b.length, from + 1 + r.nextInt(20));
                byte[] out = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, to, out, from, b.length - to);
                return out;
            }
            case 2 -> {
                for (int k = 0; k < 1 + r.nextInt(5) && b.length > 0; k++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 3 -> {
                return new byte[0];
            }
            case 4 -> {
                byte[] junk = "\u0000{[\"<>:;=-,}]\\".getBytes(StandardCharsets.UTF_8);
                int at = r.nextInt(b.length + 1);
                byte[] out = new byte[b.length + 1];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = junk[r.nextInt(junk.length)];
                System.arraycopy(b, at, out, at + 1, b.length - at);
                return out;
            }
            default -> {
                return (new String(b, StandardCharsets.UTF_8) + new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    static byte[] mutateJson(byte[] in, Random r) {
        try {
            JsonNode root = Json.MAPPER.readTree(in);
            int edits = 1 + r.nextInt(3);
            for (int k = 0; k < edits; k++) {
                root = mutateNode(root, r);
            }
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode mutateNode(JsonNode root, Random r) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return randomValue(r);
        }
        JsonNode c = containers.get(r.nextInt(containers.size()));
        if (c instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(r.nextInt(names.size()));
            if (r.nextInt(4) == 0) {
                o.remove(name);
            } else {
                o.set(name, randomValue(r));
            }
        } else if (c instanceof ArrayNode a && a.size() > 0) {
            int i = r.nextInt(a.size());
            switch (r.nextInt(3)) {
                case 0 -> a.add(a.get(i).deepCopy());
                case 1 -> a.remove(i);
                default -> a.set(i, randomValue(r));
            }
        }
        return root;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static JsonNode randomValue(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> F.nullNode();
            case 1 -> F.textNode("");
            case 2 -> F.textNode("UNDOCUMENTED_VALUE_" + r.nextInt(100));
            case 3 -> F.numberNode(r.nextInt(20) - 5);
            case 4 -> F.numberNode(Long.MAX_VALUE);
            case 5 -> F.numberNode(-1.5e300);
            case 6 -> F.booleanNode(r.nextBoolean());
            case 7 -> F.arrayNode();
            case 8 -> F.objectNode();
            case 9 -> F.textNode(Integer.toString(r.nextInt(10)));
            case 10 -> F.textNode("CHATSTATUS=" + r.nextInt(9) + "(String) [x]");
            default -> F.arrayNode().add(F.objectNode().put("x", 1)).add(F.nullNode());
        };
    }

    // ---- fixtures -----------------------------------------------------------------------------

    static List<byte[]> fixtures(String vendor, String... files) {
        List<byte[]> out = new ArrayList<>();
        for (String f : files) {
            out.add(fixture(vendor, f));
        }
        return out;
    }

    static byte[] fixture(String vendor, String file) {
        try {
            return Files.readAllBytes(Path.of("src/test/resources/vendors", vendor, file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] join(byte[]... parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('\u0000');
            }
            sb.append(new String(parts[i], StandardCharsets.UTF_8));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String preview(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 600 ? s.substring(0, 600) + "…" : s;
    }
}
