package pbx.presence.cluster;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kubernetes mode's wiring against fabric8's mock API server in CRUD mode (no real cluster runs
 * here): the router leads through a coordination.k8s.io Lease that names its pod, a second pod
 * stands by, and takes over once the first is gone.
 */
class KubernetesLeasesTest {

    private static final Map<String, String> LABELS = Map.of("app", "pbx-presence-router");
    private KubernetesMockServer server;
    private NamespacedKubernetesClient client;
    private final List<CamelContext> routers = new ArrayList<>();
    private final Map<String, AtomicLong> ticks = new ConcurrentHashMap<>();

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        for (String pod : List.of("router-0", "router-1")) {
            client.pods().inNamespace("pbx").resource(new PodBuilder().withNewMetadata().withName(pod).withNamespace("pbx")
                    .withLabels(LABELS).endMetadata().withNewStatus().withPhase("Running").withPodIP("10.0.0." + (pod.endsWith("0") ? 10 : 11))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        }
    }

    @AfterEach
    void stop() {
        routers.forEach(CamelContext::stop);
        client.close();
        server.destroy();
    }

    @Test
    void onePodLeadsThroughALeaseAndTheOtherTakesOverWhenItIsGone() throws Exception {
        CamelContext first = router("router-0");
        await().atMost(Duration.ofSeconds(30)).until(() -> ticksOf("router-0") > 3);
        assertEquals("router-0", holder());
        CamelContext second = router("router-1");
        long secondBefore = ticksOf("router-1");

        first.stop();
        client.pods().inNamespace("pbx").withName("router-0").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> ticksOf("router-1") > secondBefore + 3);
        assertEquals("router-1", holder());
    }

    private CamelContext router(String pod) throws Exception {
        KubernetesLeases leases = new KubernetesLeases("pbx", pod, client.getMasterUrl().toString(), "pbx-presence",
                LABELS, Duration.ofSeconds(3));
        CamelContext ctx = new DefaultCamelContext();
        ctx.addService(leases.service());
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("master:source-a:timer:source-a-" + pod + "?period=100").routeId("source-a-" + pod)
                        .process(e -> ticks.computeIfAbsent(pod, k -> new AtomicLong()).incrementAndGet());
            }
        });
        ctx.start();
        routers.add(ctx);
        return ctx;
    }

    private long ticksOf(String pod) {
        AtomicLong n = ticks.get(pod);
        return n == null ? 0 : n.get();
    }

    private String holder() {
        Lease lease = client.leases().inNamespace("pbx").withName("pbx-presence-source-a").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }
}
