package pbx.presence.api;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.RouterTestSupport;
import pbx.presence.model.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

/**
 * The real router (real store, real YAML API routes) on a free port, answered over real HTTP. The
 * demo is off: tests write changes into the store with {@link #feed()}, or turn the demo on.
 */
abstract class ApiTestSupport extends RouterTestSupport {

    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StoreFeeder feeder;

    /** Commits changes into the running router's store, as polls of a source would. */
    protected StoreFeeder feed() {
        if (feeder == null) {
            feeder = new StoreFeeder(storeView());
        }
        return feeder;
    }

    @Override
    protected void configure(Properties p) {
        p.put("presence.demo.enabled", "false");
    }

    protected int apiPort() {
        return Integer.parseInt(context.getPropertiesComponent().resolveProperty("presence.api.port").orElseThrow());
    }

    protected URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + apiPort() + pathAndQuery);
    }

    protected HttpResponse<String> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected JsonNode getJson(String pathAndQuery) {
        HttpResponse<String> r = get(pathAndQuery);
        if (r.statusCode() != 200) {
            throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
