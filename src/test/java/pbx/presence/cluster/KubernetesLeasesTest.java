package pbx.presence.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
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

    private KubernetesMockApi api;
    private final List<CamelContext> routers = new ArrayList<>();
    private final Map<String, AtomicLong> ticks = new ConcurrentHashMap<>();

    @BeforeEach
    void startApiServer() {
        api = new KubernetesMockApi("router-0", "router-1");
    }

    @AfterEach
    void stop() {
        routers.forEach(CamelContext::stop);
        api.close();
    }

    @Test
    void onePodLeadsThroughALeaseAndTheOtherTakesOverWhenItIsGone() throws Exception {
        CamelContext first = router("router-0");
        await().atMost(Duration.ofSeconds(30)).until(() -> ticksOf("router-0") > 3);
        assertEquals("router-0", holder());
        CamelContext second = router("router-1");
        long secondBefore = ticksOf("router-1");

        first.stop();
        api.deletePod("router-0");
        await().atMost(Duration.ofSeconds(30)).until(() -> ticksOf("router-1") > secondBefore + 3);
        assertEquals("router-1", holder());
    }

    private CamelContext router(String pod) throws Exception {
        KubernetesLeases leases = api.leases(pod, Duration.ofSeconds(3));
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
        Lease lease = api.client.leases().inNamespace("pbx").withName("pbx-presence-source-a").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }
}
