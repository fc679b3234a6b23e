package pbx.presence.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The product's face is its YAML and properties: every route file validates against Camel's YAML
 * DSL schema (so a typo fails the build, not the deployment), every route has an id and a comment,
 * every kamelet parameter is documented, every property has a comment.
 */
class ConfigurationFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchema DSL_SCHEMA = loadDslSchema();

    static Stream<Path> routeFiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            return s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList().stream();
        }
    }

    static Stream<Path> kameletFiles() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("src/main/resources/kamelets"))) {
            return s.filter(p -> p.toString().endsWith(".kamelet.yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void routeFileValidatesAgainstTheYamlDslSchema(Path file) throws Exception {
        // a {{placeholder}} is how YAML routes take typed values from application.properties:
        // the schema sees a string where it expects a number or boolean, Camel resolves it at start
        List<ValidationMessage> errors = DSL_SCHEMA.validate(YAML.readTree(file.toFile())).stream()
                .filter(m -> !(m.getInstanceNode() != null && m.getInstanceNode().isTextual()
                        && m.getInstanceNode().asText().matches("\\{\\{[^}]+}}") && "type".equals(m.getType())))
                .toList();
        assertTrue(errors.isEmpty(), file + " does not match Camel's YAML DSL schema: " + errors);
    }

    @Test
    void aTypoInARouteIsCaught() throws Exception {
        JsonNode broken = YAML.readTree("""
                - route:
                    id: broken
                    from:
                      uri: direct:x
                      steps:
                        - too:
                            uri: log:x
                """);
        assertFalse(DSL_SCHEMA.validate(broken).isEmpty(), "the schema check must reject an unknown step 'too'");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyRouteHasAnIdAndAOneLineComment(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("- route:") || l.startsWith("- routeConfiguration:")) {
                assertTrue(i > 0 && lines.get(i - 1).startsWith("# "), file + " line " + (i + 1) + ": a route needs a comment line above it");
                assertTrue(i + 1 < lines.size() && lines.get(i + 1).trim().startsWith("id: "),
                        file + " line " + (i + 1) + ": a route needs an explicit id as its first key");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kameletFiles")
    void everyKameletParameterIsDocumented(Path file) throws Exception {
        JsonNode k = YAML.readTree(file.toFile());
        String name = k.at("/metadata/name").asText();
        assertEquals(file.getFileName().toString(), name + ".kamelet.yaml", "file name matches metadata.name");
        JsonNode def = k.at("/spec/definition");
        assertFalse(def.path("title").asText().isBlank(), name + ": title");
        assertFalse(def.path("description").asText().isBlank(), name + ": description");
        Iterator<Map.Entry<String, JsonNode>> props = def.path("properties").fields();
        assertTrue(props.hasNext(), name + " declares its parameters");
        while (props.hasNext()) {
            var p = props.next();
            assertFalse(p.getValue().path("title").asText().isBlank(), name + "." + p.getKey() + ": title");
            assertFalse(p.getValue().path("description").asText().isBlank(), name + "." + p.getKey() + ": description");
            assertFalse(p.getValue().path("type").asText().isBlank(), name + "." + p.getKey() + ": type");
        }
        for (JsonNode req : def.path("required")) {
            assertTrue(def.path("properties").has(req.asText()), name + ": required parameter " + req + " is declared");
        }
        if (name.endsWith("-sink")) {
            def.path("properties").fields().forEachRemaining(p -> {
                JsonNode v = p.getValue();
                boolean secret = p.getKey().toLowerCase().matches(".*(secret|password|token).*");
                assertTrue(secret || v.has("default") || v.has("example"), name + "." + p.getKey() + ": a default or an example");
                assertEquals(secret, "password".equals(v.path("format").asText()), name + "." + p.getKey() + ": secrets, and only they, are format: password");
            });
        }
    }

    /**
     * The catalog conventions of apache/camel-kamelets: support level, catalog version (this
     * project's version), provider, group, an inline SVG icon, and the data type the source emits.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kameletFiles")
    void everyKameletFollowsTheCatalogConventions(Path file) throws Exception {
        JsonNode k = YAML.readTree(file.toFile());
        String name = k.at("/metadata/name").asText();
        JsonNode a = k.at("/metadata/annotations");
        assertTrue(Set.of("Stable", "Preview", "Deprecated").contains(a.path("camel.apache.org/kamelet.support.level").asText()),
                name + ": camel.apache.org/kamelet.support.level is Stable, Preview or Deprecated");
        assertEquals(projectVersion(), a.path("camel.apache.org/catalog.version").asText(),
                name + ": camel.apache.org/catalog.version is the project's version");
        assertFalse(a.path("camel.apache.org/provider").asText().isBlank(), name + ": provider");
        assertFalse(a.path("camel.apache.org/kamelet.group").asText().isBlank(), name + ": group");
        String icon = a.path("camel.apache.org/kamelet.icon").asText();
        assertTrue(icon.startsWith("data:image/svg+xml;base64,"), name + ": the icon is an inline SVG data URL");
        String svg = new String(java.util.Base64.getDecoder().decode(icon.substring(icon.indexOf(',') + 1)),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<svg") && svg.strip().endsWith("</svg>"), name + ": the icon decodes to an SVG document");
        String kind = k.at("/metadata/labels").path("camel.apache.org/kamelet.type").asText();
        assertTrue(Set.of("source", "sink").contains(kind), name + ": type label source or sink, was '" + kind + "'");
        assertEquals(kind, name.endsWith("-sink") ? "sink" : "source", name + ": the name ends in its type");
        if (kind.equals("source")) {
            JsonNode out = k.at("/spec/dataTypes/out");
            String dflt = out.path("default").asText();
            JsonNode type = out.path("types").path(dflt);
            assertFalse(dflt.isBlank() || type.isMissingNode(), name + ": spec.dataTypes.out names its default type and declares it");
            assertEquals("application/x-java-object", type.path("mediaType").asText(), name + ": the snapshot is a Java object");
            assertFalse(type.path("format").asText().isBlank() || type.path("description").asText().isBlank(),
                    name + ": the data type has a format and a description");
            for (String header : List.of("PbxSource", "PbxPollFailed")) {
                assertFalse(out.path("headers").path(header).path("description").asText().isBlank(),
                        name + ": the output header " + header + " is documented");
            }
        } else {
            JsonNode in = k.at("/spec/dataTypes/in");
            String dflt = in.path("default").asText();
            JsonNode type = in.path("types").path(dflt);
            assertFalse(dflt.isBlank() || type.isMissingNode(), name + ": spec.dataTypes.in names its default type and declares it");
            assertEquals("application/cloudevents+json", type.path("mediaType").asText(), name + ": a sink takes the event's JSON");
            assertFalse(type.path("format").asText().isBlank() || type.path("description").asText().isBlank(),
                    name + ": the data type has a format and a description");
            assertEquals("kamelet:source", k.at("/spec/template/route/from/uri").asText(), name + ": a sink starts at kamelet:source");
        }
        assertTrue(k.at("/spec/types").isMissingNode(), name + ": the older spec.types is replaced by spec.dataTypes");
    }

    private static String projectVersion() throws Exception {
        var m = java.util.regex.Pattern.compile("</parent>|<artifactId>pbx-presence-router</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        while (m.find()) {
            if (m.group(1) != null) {
                return m.group(1);
            }
        }
        throw new IllegalStateException("pom.xml has no project version");
    }

    @Test
    void everyPropertyHasACommentAbove() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("application.properties"));
        List<String> undocumented = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (!l.isEmpty() && !l.startsWith("#")) {
                String above = i > 0 ? lines.get(i - 1).trim() : "";
                if (!above.startsWith("#") || above.startsWith("# ---")) {
                    undocumented.add(l);
                }
            }
        }
        assertTrue(undocumented.isEmpty(), "properties without a comment above: " + undocumented);
    }

    private static JsonSchema loadDslSchema() {
        try (InputStream in = ConfigurationFilesTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            if (in == null) {
                throw new IllegalStateException("schema/camelYamlDsl.json not found in camel-yaml-dsl");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
