package pbx.presence;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.Main;

import java.util.Map;

/**
 * The real router (Camel Main, application.properties, routes/*.camel.yaml) started and stopped
 * inside a test, so one test can run it several times over the same data folder: a restart.
 */
public final class EmbeddedRouter implements AutoCloseable {

    private final Main main = new Main();

    public EmbeddedRouter(Map<String, String> overrides, RoutesBuilder... extraRoutes) {
        main.setPropertyPlaceholderLocations("file:application.properties");
        overrides.forEach(main::addOverrideProperty);
        if (!overrides.containsKey("presence.api.port")) {
            // the API's HTTP server on a free port, so consecutive or parallel routers never collide
            main.addOverrideProperty("presence.api.port", Integer.toString(RouterTestSupport.freePort()));
        }
        for (RoutesBuilder r : extraRoutes) {
            main.configure().addRoutesBuilder(r);
        }
    }

    /**
     * Starts a router that must refuse to start, and returns the message of its
     * {@link pbx.presence.config.ConfigurationException} (fails the test when there is none).
     */
    public static String configurationFailure(Map<String, String> overrides, RoutesBuilder... extraRoutes) {
        EmbeddedRouter router = new EmbeddedRouter(overrides, extraRoutes);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, router::start);
        try {
            router.close();
        } catch (Exception ignored) {
            // the router never started
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof pbx.presence.config.ConfigurationException) {
                return t.getMessage();
            }
        }
        return org.junit.jupiter.api.Assertions.fail("expected a ConfigurationException, got " + e);
    }

    public EmbeddedRouter start() throws Exception {
        main.start();
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
