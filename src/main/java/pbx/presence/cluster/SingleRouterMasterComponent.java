package pbx.presence.cluster;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.StringHelper;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * {@code presence.cluster.mode = none}: {@code master:<namespace>:<uri>} is simply {@code <uri>}, so
 * the shipped routes say {@code master:} whatever the mode and a single router behaves and starts
 * exactly as before. Written because Camel's master consumer starts its delegate only one second
 * after leadership is taken, even in a cluster of one (an always-leading cluster service), which
 * would delay every first poll and sink of a single router. Like Camel's {@code ref:} component,
 * it returns the delegate endpoint itself.
 */
public final class SingleRouterMasterComponent extends DefaultComponent {

    private final Map<String, Endpoint> namespaces = new ConcurrentSkipListMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String namespace = StringHelper.before(remaining, ":");
        String delegate = StringHelper.after(remaining, ":");
        if (namespace == null || namespace.isEmpty() || delegate == null || delegate.isEmpty()) {
            throw new IllegalArgumentException("master: needs master:<namespace>:<endpoint uri>, was '" + uri + "'");
        }
        int query = uri.indexOf('?');
        if (query >= 0) {
            delegate = delegate + uri.substring(query);
        }
        parameters.clear();
        Endpoint endpoint = getCamelContext().getEndpoint(delegate);
        namespaces.put(namespace, endpoint);
        return endpoint;
    }

    /** Every namespace a route named. */
    public Set<String> namespaces() {
        return Collections.unmodifiableSet(namespaces.keySet());
    }

    /** A single router leads a namespace while a started route consumes from it (a disabled sink is led by nobody). */
    public boolean leads(String namespace) {
        Endpoint endpoint = namespaces.get(namespace);
        return endpoint != null && getCamelContext().getRoutes().stream().anyMatch(r -> r.getEndpoint() == endpoint
                && getCamelContext().getRouteController().getRouteStatus(r.getRouteId()).isStarted());
    }
}
