package pbx.presence.api;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.change.PresenceLog;
import pbx.presence.config.ConfigurationException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;

/**
 * Wires the presence API ({@code routes/api.camel.yaml}) from the {@code presence.api.*} keys: the
 * API bean and problem answers the YAML routes call, and once the HTTP server runs, the guard, event
 * stream and wallboard on the same port. The data comes from the store's read side, the
 * {@link PresenceLog} bound as {@value #LOG_BEAN} (pbx.presence.PresenceConfiguration binds it).
 */
public class ApiConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence");
    static final String LOG_BEAN = "presenceLog";

    @Override
    public void configure(CamelContext context) throws Exception {
        ApiSettings settings;
        try {
            settings = ApiSettings.from(context);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("application.properties (or its overrides): " + e.getMessage());
        }
        requireFreePort(settings);
        Supplier<PresenceLog> log = new RegistryLog(context);
        EventStream stream = new EventStream(log, settings);
        context.getRegistry().bind("presenceApi", new PresenceApi(log, settings.maxLimit()));
        context.getRegistry().bind("apiProblemResponse", new ProblemResponse());
        context.getRegistry().bind("presenceEventStream", stream);
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                ApiHttp.install(ctx, settings, stream);
                LOG.info("Presence API and wallboard at http://{}:{}/ (OpenAPI at /api/openapi.json{})", settings.host(),
                        settings.port(), settings.tokens().isEmpty() ? ", loopback only" : ", bearer token required off loopback");
            }
        });
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                stream.stop();
            }
        }, true, true);
    }

    /**
     * Camel's HTTP server only logs a WARN when its port is taken and the router would run on without
     * its API (the wallboard then shows whatever holds the port); refuse the start instead, naming the key.
     */
    private static void requireFreePort(ApiSettings settings) {
        if (settings.port() <= 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()));
        } catch (IOException e) {
            throw new ConfigurationException("presence.api.port " + settings.port() + " on " + settings.host()
                    + " is already in use by another program: stop it, or set presence.api.port to a free port");
        }
    }

    /** The store's read side, looked up when first needed (the store may be bound after this class runs). */
    private static final class RegistryLog implements Supplier<PresenceLog> {
        private final CamelContext context;
        private volatile PresenceLog found;

        RegistryLog(CamelContext context) {
            this.context = context;
        }

        @Override
        public PresenceLog get() {
            PresenceLog l = found;
            if (l == null) {
                l = context.getRegistry().lookupByNameAndType(LOG_BEAN, PresenceLog.class);
                if (l == null) {
                    throw new ApiProblem(503, "No event log store is configured, so the API has nothing to serve");
                }
                found = l;
            }
            return l;
        }
    }
}
