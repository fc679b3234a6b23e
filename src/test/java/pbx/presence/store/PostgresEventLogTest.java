package pbx.presence.store;

/** The store's promises on a real PostgreSQL server (same SQL, same migrations). */
class PostgresEventLogTest extends EventLogContract {

    @Override
    JdbcEventStore newStore() {
        return PostgresServer.newStore();
    }

    @Override
    String bytes(String hex) {
        return "decode('" + hex + "', 'hex')";
    }
}
