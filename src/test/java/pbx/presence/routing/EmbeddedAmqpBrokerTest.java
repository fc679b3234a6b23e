package pbx.presence.routing;

import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The test broker itself works with camel-amqp (the AMQP sink test builds on it). */
class EmbeddedAmqpBrokerTest {

    @Test
    void aMessageSentThroughCamelAmqpArrives(@TempDir Path dir) throws Exception {
        try (EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(dir); CamelContext ctx = new DefaultCamelContext()) {
            ctx.addComponent("amqp", AMQPComponent.amqpComponent(broker.uri()));
            ctx.start();
            ProducerTemplate producer = ctx.createProducerTemplate();
            ConsumerTemplate consumer = ctx.createConsumerTemplate();
            producer.sendBody("amqp:queue:pbx.test", "{\"id\":\"s:1:1\"}");
            assertEquals("{\"id\":\"s:1:1\"}", consumer.receiveBody("amqp:queue:pbx.test", 10_000, String.class));
        }
    }
}
