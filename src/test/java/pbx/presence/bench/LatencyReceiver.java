package pbx.presence.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import pbx.presence.StandardWebhooks;
import pbx.presence.delivery.WebhookSigner;
import pbx.presence.model.Json;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real webhook receiver in the benchmark's process (a Vert.x HTTP server on 127.0.0.1, on one event
 * loop: it takes requests on several connections at once at about 0.05 ms each, so that the router's
 * delivery is what is measured; the JDK HttpServer used before added about 0.5 ms to every request): checks each
 * request's Standard Webhooks signature, answers 200, and maps each {@code pbx.presence.changed}
 * event to the PBX change that caused it, by extension ({@code subject}) and resulting line state
 * ({@code data.after.line}): the latest not yet matched change of that extension to that state made
 * before the request arrived. Per matched change it keeps three times: the change, the event's
 * {@code time} (when the router's poll handed the snapshot to change detection) and the arrival.
 */
final class LatencyReceiver implements AutoCloseable {

    /** One change as it travelled: PBX change → detected (event time) → webhook request arrived. */
    record Delivery(Churn.Change change, Instant detected, Instant arrived) {
        double totalMillis() {
            return Duration.between(change.at(), arrived).toNanos() / 1e6;
        }

        double detectMillis() {
            return Duration.between(change.at(), detected).toNanos() / 1e6;
        }

        double deliverMillis() {
            return Duration.between(detected, arrived).toNanos() / 1e6;
        }
    }

    private final String secret = WebhookSigner.generateSecret();
    private final Churn churn;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final HttpServer server;
    private final Clock clock = Clock.systemUTC();
    private final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    private final Set<Churn.Change> matched = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private final AtomicLong unmatched = new AtomicLong();

    LatencyReceiver(Churn churn) throws IOException {
        this.churn = churn;
        server = vertx.createHttpServer().requestHandler(request -> {
            Instant arrived = clock.instant();
            request.body().onSuccess(buffer -> {
                byte[] body = buffer.getBytes();
                requests.incrementAndGet();
                var h = request.headers();
                boolean valid = "/hook".equals(request.path()) && StandardWebhooks.valid(secret, h.get(WebhookSigner.HEADER_ID),
                        h.get(WebhookSigner.HEADER_TIMESTAMP), h.get(WebhookSigner.HEADER_SIGNATURE), body);
                if (!valid) {
                    badSignatures.incrementAndGet();
                } else {
                    try {
                        match(Json.MAPPER.readTree(body), arrived);
                    } catch (IOException e) {
                        unmatched.incrementAndGet();
                    }
                }
                request.response().setStatusCode(valid ? 200 : 401).end();
            });
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("the webhook receiver did not start: " + e, e);
        }
    }

    private void match(JsonNode event, Instant arrived) {
        if (!"pbx.presence.changed".equals(event.path("type").asText())) {
            return;
        }
        String extension = event.path("subject").asText();
        String line = event.path("data").path("after").path("line").asText();
        Instant detected = Instant.parse(event.path("time").asText());
        Churn.Change found = null;
        for (Churn.Change c : churn.changesOf(extension)) {
            if (c.line().equals(line) && !c.at().isAfter(arrived) && !matched.contains(c)) {
                found = c; // the latest one wins: an earlier one to the same state was superseded
            }
        }
        if (found == null || !matched.add(found)) {
            unmatched.incrementAndGet();
            return;
        }
        deliveries.add(new Delivery(found, detected, arrived));
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hook";
    }

    String secret() {
        return secret;
    }

    long requests() {
        return requests.get();
    }

    long badSignatures() {
        return badSignatures.get();
    }

    /** Change events that matched no recorded change. */
    long unmatched() {
        return unmatched.get();
    }

    /** True when this change reached the receiver. */
    boolean delivered(Churn.Change c) {
        return matched.contains(c);
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
}
