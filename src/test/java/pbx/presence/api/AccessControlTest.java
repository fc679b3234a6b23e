package pbx.presence.api;

import org.junit.jupiter.api.Test;
import pbx.presence.model.LineState;

import java.net.http.HttpResponse;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static pbx.presence.api.PresenceApiTest.assertProblem;
import static pbx.presence.api.PresenceApiTest.ext;

/**
 * Bearer tokens and CORS. The test cannot reach the API from another host (loopback only here), so
 * it turns on {@code presence.api.token-on-loopback}, which applies the same check to loopback clients.
 */
class AccessControlTest extends ApiTestSupport {

    static final String OLD_TOKEN = "old-3f9a0c1e5b7d";
    static final String NEW_TOKEN = "new-8e2d4b6a1c3f";

    @Override
    protected void configure(Properties p) {
        super.configure(p);
        p.put("presence.api.token", OLD_TOKEN + " " + NEW_TOKEN);
        p.put("presence.api.token-on-loopback", "true");
        p.put("presence.api.cors-origins", "https://wallboard.example.com, https://ops.example.com");
    }

    @Test
    void withoutOrWithAWrongTokenIs401AndEitherRotatingTokenIsAccepted() throws Exception {
        feed().put(ext("hq", "201", "Alice", LineState.IDLE));
        HttpResponse<String> none = get("/api/presence");
        assertProblem(none, 401, "needs a bearer token");
        assertEquals("Bearer realm=\"pbx-presence\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertProblem(get("/api/presence", "Authorization", "Bearer " + OLD_TOKEN + "x"), 401, "not one of presence.api.token");
        assertProblem(get("/api/presence", "Authorization", "Basic " + OLD_TOKEN), 401, "not one of presence.api.token");
        assertProblem(get("/api/events/stream"), 401, "needs a bearer token");
        assertProblem(get("/api/openapi.json"), 401, "needs a bearer token");

        for (String token : new String[] {OLD_TOKEN, NEW_TOKEN}) {
            HttpResponse<String> ok = get("/api/presence", "Authorization", "Bearer " + token);
            assertEquals(200, ok.statusCode());
            assertFalse(ok.body().contains(token), "no answer carries the token");
            assertFalse(ok.headers().map().toString().contains(token), "no header echoes the token");
        }
        long before = storeView().headPosition() - 1;
        try (SseClient sse = new SseClient(uri("/api/events/stream?after=" + before), "Authorization", "Bearer " + NEW_TOKEN)) {
            assertEquals(200, sse.status());
            assertEquals(Long.toString(before + 1), sse.next(java.time.Duration.ofSeconds(5)).id());
        }
        assertEquals(200, get("/").statusCode(), "the wallboard page itself is public; its data needs the token");
    }

    @Test
    void corsAnswersOnlyTheConfiguredOrigins() {
        feed().put(ext("hq", "201", "Alice", LineState.IDLE));
        HttpResponse<String> allowed = get("/api/presence", "Origin", "https://ops.example.com", "Authorization", "Bearer " + NEW_TOKEN);
        assertEquals(200, allowed.statusCode());
        assertEquals("https://ops.example.com", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<String> other = get("/api/presence", "Origin", "https://evil.example.net", "Authorization", "Bearer " + NEW_TOKEN);
        assertFalse(other.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }
}
