package pbx.presence.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Registration;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PresenceApiTest extends ApiTestSupport {

    static ExtensionPresence ext(String source, String number, String name, LineState line) {
        return ExtensionPresence.builder(source, "3cx", number).name(name).line(line).registration(Registration.REGISTERED).build();
    }

    @Test
    void smoke() throws Exception {
        log.put(ext("hq", "201", "Alice", LineState.IDLE));
        JsonNode p = getJson("/api/presence");
        System.out.println(p.toPrettyString());
        HttpResponse<String> o = get("/api/openapi.json");
        System.out.println(o.statusCode() + " " + o.body());
        HttpResponse<String> w = get("/");
        System.out.println(w.statusCode() + " " + w.body());
        HttpResponse<String> nf = get("/api/presence/hq/999");
        System.out.println(nf.statusCode() + " " + nf.headers().map() + nf.body());
        assertEquals(1, p.path("count").asInt());
    }
}
