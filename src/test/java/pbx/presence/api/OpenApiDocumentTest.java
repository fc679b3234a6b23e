package pbx.presence.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.junit.jupiter.api.Test;
import pbx.presence.model.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The OpenAPI document served at /api/openapi.json lists exactly the paths the API serves, and
 * docs/openapi.json is that document. After changing routes/api.camel.yaml, refresh the copy with
 * {@code mvn test -Dtest=OpenApiDocumentTest -Dpbx.write-docs=true}.
 */
class OpenApiDocumentTest extends ApiTestSupport {

    private static final Path DOCS_COPY = Path.of("docs/openapi.json");

    @Test
    void everyServedApiPathIsDocumentedAndEveryDocumentedPathAnswers() throws Exception {
        JsonNode doc = getJson("/api/openapi.json");
        String base = doc.path("servers").get(0).path("url").asText();
        assertEquals("/api", base);
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fieldNames().forEachRemaining(p -> documented.add(base + p));

        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(apiPort()));
        Set<String> served = new TreeSet<>();
        router.getRoutes().stream().map(r -> r.getPath()).filter(p -> p != null && p.startsWith("/api/"))
                // the guard and the 404 answer cover every path; the document does not list itself
                .filter(p -> !p.equals("/api/") && !p.equals("/api/openapi.json"))
                .map(p -> p.replaceAll(":([A-Za-z]+)", "{$1}"))
                .forEach(served::add);
        assertEquals(documented, served);

        feed().put(PresenceApiTest.ext("hq", "201", "Alice", pbx.presence.model.LineState.IDLE));
        for (String path : documented) {
            if (path.endsWith("/stream")) {
                try (SseClient sse = new SseClient(uri(path))) {
                    assertEquals(200, sse.status(), path);
                }
            } else {
                assertEquals(200, get(path.replace("{source}", "hq").replace("{extension}", "201")).statusCode(), path);
            }
        }
    }

    @Test
    void docsHoldsTheServedDocument() throws Exception {
        String served = Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(getJson("/api/openapi.json")) + "\n";
        if (Boolean.getBoolean("pbx.write-docs")) {
            Files.writeString(DOCS_COPY, served);
        }
        assertNotEquals(0, served.length());
        assertEquals(served, Files.exists(DOCS_COPY) ? Files.readString(DOCS_COPY) : "",
                DOCS_COPY + " is out of date: mvn test -Dtest=OpenApiDocumentTest -Dpbx.write-docs=true");
    }
}
