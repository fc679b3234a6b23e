package pbx.presence.wiring;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbx.presence.demo.DemoPbx;

import java.util.stream.Collectors;

/**
 * The embedded demo PBX simulators ({@code presence.demo.enabled}): started with Camel, stopped with
 * it, and their actual ports handed to the demo source routes.
 */
public final class DemoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence");

    private DemoConfiguration() {
    }

    public static void wire(CamelContext context, Settings s) throws Exception {
        if (!s.bool("presence.demo.enabled", false)) {
            return;
        }
        DemoPbx.Builder demoBuilder = DemoPbx.builder().host(s.get("presence.demo.host", "127.0.0.1"))
                .httpPort(s.integer(DemoPbx.HTTP_PORT_PROPERTY, 18081))
                .callControlPort(s.integer(DemoPbx.CALLCONTROL_PORT_PROPERTY, 18082))
                .tickMillis(s.integer("presence.demo.tick-millis", 3000));
        for (String vendor : DemoPbx.VENDOR_SIMULATORS.keySet()) {
            String port = s.get(DemoPbx.portProperty(vendor), "");
            if (!port.isEmpty()) {
                demoBuilder.vendorPort(vendor, s.integer(DemoPbx.portProperty(vendor), 0));
            }
        }
        DemoPbx demo = demoBuilder.start();
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                demo.close();
            }
        }, true, true);
        context.getRegistry().bind("demoPbx", demo);
        // port 0 picks a free port; the demo source routes read the actual one from these keys
        s.override(DemoPbx.HTTP_PORT_PROPERTY, Integer.toString(demo.httpPort()));
        s.override(DemoPbx.CALLCONTROL_PORT_PROPERTY, Integer.toString(demo.callControlPort()));
        for (String vendor : demo.vendorIds()) {
            s.override(DemoPbx.portProperty(vendor), Integer.toString(demo.vendor(vendor).port()));
        }
        LOG.info("Embedded demo: simulated 3CX HTTP API at {}, 3CX Call Control API at {}{} (presence.demo.enabled=false turns this off)",
                demo.httpBaseUrl(), demo.callControlExtensionsUrl(), demo.vendorIds().stream()
                        .map(v -> ", " + v + " at " + demo.vendor(v).baseUrl()).collect(Collectors.joining()));
    }
}
