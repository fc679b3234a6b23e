package pbx.presence.routing;

import pbx.presence.store.PostgresServer;

import java.util.Properties;

/** {@link FileSinkPipelineTest} with the store on a real PostgreSQL server instead of the embedded file. */
class PostgresFileSinkPipelineTest extends FileSinkPipelineTest {

    @Override
    protected void configure(Properties p) {
        p.putAll(PostgresServer.storeProperties());
    }
}
