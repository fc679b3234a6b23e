package pbx.presence.routing;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped example of "any other Camel URI", routes/sink-amqp.camel.yaml, against a real AMQP 1.0
 * broker (embedded ActiveMQ Artemis) through the real router: a simulated PBX changes, and the events
 * arrive on the broker address in log order, as the very JSON lines the file sink writes. A separate
 * Camel context with its own AMQP client reads them, as an integrator's consumer would.
 */
class AmqpSinkTest extends WebhookTestSupport {

    static final String ADDRESS = "queue:pbx.presence.test";

    static EmbeddedAmqpBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedAmqpBroker(Files.createTempDirectory("amqp-broker"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    void webhook(Properties p) {
        p.put("presence.amqp.url", broker.uri());
        p.put("presence.amqp.address", ADDRESS);
    }

    @Test
    void everyEventArrivesOnTheBrokerInOrderAsTheFileSinkWritesIt() throws Exception {
        assertTrue(context.getRouteController().getRouteStatus("sink-amqp").isStarted(), "presence.amqp.url turns the AMQP sink on");
        awaitBaseline();
        for (String ext : List.of("202", "203", "202", "204", "203")) {
            if (fileEvents(CC, ext).size() % 2 == 0) {
                callStarts(ext);
            } else {
                callEnds(ext);
            }
        }
        List<String> received = new ArrayList<>();
        try (CamelContext client = new DefaultCamelContext()) {
            client.addComponent("amqp", AMQPComponent.amqpComponent(broker.uri()));
            client.start();
            ConsumerTemplate consumer = client.createConsumerTemplate();
            await().atMost(EVENT_WAIT).untilAsserted(() -> {
                String body;
                while ((body = consumer.receiveBody("amqp:" + ADDRESS, 200, String.class)) != null) {
                    received.add(body);
                }
                assertEquals(fileEventLines(), received, "the broker got what the file sink wrote, in the same order");
            });
        }
        assertTrue(received.size() >= 5, "several events: " + received.size());
        assertTrue(received.stream().allMatch(j -> j.startsWith("{") && j.contains("\"specversion\"")), "CloudEvents JSON");
    }
}
