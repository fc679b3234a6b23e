package pbx.presence.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/** Test helper: plain java.net.http calls against a simulator. */
final class SimHttp {

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private SimHttp() {
    }

    static HttpResponse<String> get(String url) {
        return get(url, Duration.ofSeconds(5));
    }

    static HttpResponse<String> get(String url, Duration timeout) {
        try {
            return send(url, timeout);
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        }
    }

    static HttpResponse<String> send(String url, Duration timeout) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String body(String url) {
        HttpResponse<String> r = get(url);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Live threads whose name starts with {@code prefix-}. */
    static Set<Thread> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix + "-") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
