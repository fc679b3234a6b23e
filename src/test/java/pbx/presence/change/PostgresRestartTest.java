package pbx.presence.change;

import pbx.presence.store.PostgresServer;

import java.util.Map;

/** {@link RestartTest} with the store on a real PostgreSQL server: the restart reads state and sequences back from it. */
class PostgresRestartTest extends RestartTest {

    private final Map<String, String> store = PostgresServer.storeProperties();

    @Override
    protected Map<String, String> storeProperties() {
        return store;
    }
}
