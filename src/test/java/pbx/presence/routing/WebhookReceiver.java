package pbx.presence.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import pbx.presence.model.EventSchema;
import pbx.presence.model.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real webhook receiver for tests: a JDK {@link HttpServer} on 127.0.0.1 (a free port, kept across
 * {@link #stop()} / {@link #restart()} so the router's configured URL stays valid) that records every
 * request with its arrival time and answers what the test's {@link Responder} says (200 by default).
 * It also verifies Standard Webhooks signatures independently of the router's signer (plain
 * {@link Mac} over {@code id.timestamp.body} with the base64-decoded secret).
 */
final class WebhookReceiver implements AutoCloseable {

    static final String PATH = "/hooks/presence";
    /** A query in the configured URL (as some receivers use for routing or a token) must reach the receiver unchanged. */
    static final String QUERY = "tenant=demo&channel=presence";

    /** One request as received. {@code nanos} is System.nanoTime() on arrival, for measuring gaps. */
    record Request(long nanos, Instant at, String method, String path, String query, Map<String, List<String>> headers,
                   byte[] bytes, int status) {

        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> all(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return List.of();
        }

        String header(String name) {
            List<String> v = all(name);
            return v.isEmpty() ? null : v.get(0);
        }

        String id() {
            return header("webhook-id");
        }

        boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    /** What to answer: status and extra headers; {@link #HANG} never answers (until the receiver stops). */
    record Response(int status, Map<String, String> headers) {
        static final Response OK = new Response(200, Map.of());
        static final Response HANG = new Response(-1, Map.of());

        static Response of(int status) {
            return new Response(status, Map.of());
        }
    }

    @FunctionalInterface
    interface Responder {
        /**
         * @param attempt 1 for the first request carrying this webhook-id, 2 for its second, …
         */
        Response respond(String webhookId, int attempt);
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Responder responder = (id, attempt) -> Response.OK;
    private volatile CountDownLatch release = new CountDownLatch(1);
    private int port;
    private HttpServer server;
    private ExecutorService executor;

    private WebhookReceiver() {
    }

    static WebhookReceiver start() {
        WebhookReceiver r = new WebhookReceiver();
        try {
            r.listen(0);
        } catch (BindException e) {
            throw new UncheckedIOException(e);
        }
        r.port = r.server.getAddress().getPort();
        return r;
    }

    /** Binds and starts; callers hold the lock (or own the new instance). */
    private void listen(int wanted) throws BindException {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", wanted), 50);
        } catch (BindException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "webhook-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + port + PATH + "?" + QUERY;
    }

    int port() {
        return port;
    }

    void respond(Responder r) {
        this.responder = r;
    }

    /** Forgets recorded requests, answers 200 again, releases hanging handlers. */
    void reset() {
        release.countDown();
        release = new CountDownLatch(1);
        responder = (id, attempt) -> Response.OK;
        requests.clear();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> attempts(String webhookId) {
        return requests.stream().filter(r -> webhookId.equals(r.id())).toList();
    }

    /** Ids answered 2xx, first delivery of each, in the order they were delivered. */
    List<String> deliveredIds() {
        List<String> ids = new ArrayList<>();
        for (Request r : requests) {
            if (r.delivered() && !ids.contains(r.id())) {
                ids.add(r.id());
            }
        }
        return ids;
    }

    List<Request> delivered() {
        return requests.stream().filter(Request::delivered).toList();
    }

    /** Closes the port: from now on the router gets "connection refused". */
    synchronized void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Listens again on the same port. */
    synchronized void restart() {
        if (server != null) {
            return;
        }
        release = new CountDownLatch(1);
        // the port was ours a moment ago; a bind can still race with the kernel releasing it
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().pollInterval(Duration.ofMillis(100))
                .ignoreException(BindException.class)
                .until(() -> {
                    listen(port);
                    return true;
                });
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) throws IOException {
        long nanos = System.nanoTime();
        Instant at = Instant.now();
        byte[] body;
        try (var in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = Map.copyOf(ex.getRequestHeaders());
        String id = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("webhook-id"))
                .map(e -> e.getValue().get(0)).findFirst().orElse("");
        int attempt;
        Response response;
        synchronized (this) {
            attempt = (int) requests.stream().filter(r -> id.equals(r.id())).count() + 1;
            response = responder.respond(id, attempt);
            requests.add(new Request(nanos, at, ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestURI().getRawQuery(), headers, body, response.status()));
        }
        if (response.status() < 0) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        response.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] answer = response.status() < 300 ? new byte[0]
                : ("{\"error\":\"test receiver answers " + response.status() + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            ex.getResponseBody().write(answer);
        }
        ex.close();
    }

    // --- Standard Webhooks, checked independently of pbx.presence.delivery.WebhookSigner ---------------

    /** A fresh secret as a receiver would hand it out: whsec_ + base64 of 32 random bytes. */
    static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static byte[] key(String secret) {
        assertTrue(secret.startsWith("whsec_"), "test secret format");
        return Base64.getDecoder().decode(secret.substring("whsec_".length()));
    }

    static byte[] hmac(byte[] key, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The v1 signatures of the webhook-signature header, decoded, in header order. */
    static List<byte[]> v1Signatures(Request r) {
        String header = r.header("webhook-signature");
        if (header == null) {
            fail("no webhook-signature header on " + r.id());
        }
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : header.trim().split(" +")) {
            int comma = entry.indexOf(',');
            assertTrue(comma > 0, "signature entry is version,signature: " + entry);
            if (entry.substring(0, comma).equals("v1")) {
                signatures.add(Base64.getDecoder().decode(entry.substring(comma + 1)));
            }
        }
        return signatures;
    }

    /** Whether {@code signature} is the HMAC of this request under {@code secret} (constant-time compare). */
    static boolean signedWith(Request r, byte[] signature, String secret) {
        byte[] expected = hmac(key(secret), r.id(), r.header("webhook-timestamp"), r.bytes());
        return MessageDigest.isEqual(expected, signature);
    }

    /**
     * Everything a Standard Webhooks consumer checks, plus the event contract: POST to the configured
     * path, exactly one Content-Type and it is application/json, webhook-id equals the CloudEvents id,
     * a fresh timestamp, one v1 signature per secret (in order) each verifying with its secret, and a
     * body valid against docs/event.schema.json.
     */
    static void assertValidDelivery(Request r, String... secrets) {
        assertEquals("POST", r.method(), "method");
        assertEquals(PATH, r.path(), "path");
        // Camel sorts an endpoint's query parameters; a receiver must not depend on their order anyway
        assertEquals(Set.of(QUERY.split("&")), r.query() == null ? Set.of() : Set.of(r.query().split("&")),
                "the configured URL's query, and nothing of Camel's endpoint options: " + r.query());
        List<String> contentTypes = r.all("Content-Type");
        assertEquals(1, contentTypes.size(), "exactly one Content-Type: " + contentTypes);
        assertEquals("application/json", contentTypes.get(0).split(";")[0].trim().toLowerCase(), "Content-Type");
        for (String name : r.headers().keySet()) {
            String n = name.toLowerCase();
            assertTrue(!n.startsWith("camel") && !n.startsWith("pbx"), "no internal header on the wire: " + name);
        }
        JsonNode event = r.json();
        assertEquals(event.path("id").asText(), r.id(), "webhook-id is the CloudEvents id");
        long ts = Long.parseLong(r.header("webhook-timestamp"));
        long skew = Math.abs(r.at().getEpochSecond() - ts);
        assertTrue(skew <= 5, "webhook-timestamp is the attempt's time (Unix seconds), skew " + skew + " s");
        List<byte[]> signatures = v1Signatures(r);
        assertEquals(secrets.length, signatures.size(), "one v1 signature per secret: " + r.header("webhook-signature"));
        for (int i = 0; i < secrets.length; i++) {
            assertTrue(signedWith(r, signatures.get(i), secrets[i]),
                    "signature " + (i + 1) + " verifies with secret " + (i + 1) + " for " + r.id());
        }
        EventSchema.assertValid(r.body());
    }
}
