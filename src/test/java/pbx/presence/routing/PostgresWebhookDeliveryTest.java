package pbx.presence.routing;

import pbx.presence.store.PostgresServer;

import java.util.Properties;

/** {@link WebhookDeliveryTest} with the store on a real PostgreSQL server instead of the embedded file. */
class PostgresWebhookDeliveryTest extends WebhookDeliveryTest {

    @Override
    void webhook(Properties p) {
        p.putAll(PostgresServer.storeProperties());
    }
}
