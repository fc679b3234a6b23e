package pbx.presence.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mode=none: a master: route runs on the only router, and stops with it. */
class StandaloneClusterServiceTest {

    @Test
    void aMasterRouteRunsOnTheOnlyRouter() throws Exception {
        AtomicLong ticks = new AtomicLong();
        try (CamelContext ctx = new DefaultCamelContext()) {
            StandaloneClusterService service = new StandaloneClusterService("only");
            ctx.addService(service);
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("master:source-a:timer:a?period=20").routeId("source-a").process(e -> ticks.incrementAndGet());
                }
            });
            ctx.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() > 3);
            assertTrue(service.isLeader("source-a"));
        }
    }
}
