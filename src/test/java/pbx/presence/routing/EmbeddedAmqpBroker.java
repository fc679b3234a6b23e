package pbx.presence.routing;

import pbx.presence.RouterTestSupport;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real ActiveMQ Artemis broker speaking AMQP 1.0 on 127.0.0.1, in the test's JVM: no persistence,
 * no security, one acceptor on a free port. Fails the test, saying why, when it cannot start.
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {

    private final EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    private final int port;

    public EmbeddedAmqpBroker(Path folder) {
        try {
            port = RouterTestSupport.freePort();
            Configuration config = new ConfigurationImpl()
                    .setPersistenceEnabled(false)
                    .setSecurityEnabled(false)
                    .setJournalDirectory(folder.resolve("journal").toString())
                    .setBindingsDirectory(folder.resolve("bindings").toString())
                    .setLargeMessagesDirectory(folder.resolve("large").toString())
                    .setPagingDirectory(folder.resolve("paging").toString())
                    .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
            broker.setConfiguration(config);
            broker.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded AMQP broker (Artemis) this test needs: " + e, e);
        }
    }

    /** The broker's AMQP URI for camel-amqp's connection factory. */
    public String uri() {
        return "amqp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
