package pbx.presence.demo;

import java.net.BindException;
import java.util.Objects;

/**
 * The embedded demo PBX: a {@link ThreeCxHttpSimulator} and a {@link ThreeCxCallControlSimulator}
 * serving one shared {@link SimulatedPbx}, animated by a {@link DemoScenario}. Everything runs on
 * daemon threads; {@link #close()} stops it all.
 *
 * <pre>{@code
 * try (DemoPbx demo = new DemoPbx("127.0.0.1", 0, 0, 2000)) {
 *     String text = demo.httpBaseUrl();           // http://127.0.0.1:<port>/showallcalls …
 *     String json = demo.callControlExtensionsUrl(); // http://127.0.0.1:<port>/extensions
 * }
 * }</pre>
 */
public final class DemoPbx implements AutoCloseable {

    public static final String HTTP_PORT_PROPERTY = "presence.demo.3cx-http.port";
    public static final String CALLCONTROL_PORT_PROPERTY = "presence.demo.3cx-callcontrol.port";
    public static final String ENABLED_PROPERTY = "presence.demo.enabled";

    private final String host;
    private final SimulatedPbx pbx;
    private final DemoScenario scenario;
    private final ThreeCxHttpSimulator http;
    private final ThreeCxCallControlSimulator callControl;
    private final java.util.Map<String, HttpSimulator> vendors = new java.util.LinkedHashMap<>();

    /** Client id / user name every demo vendor simulator accepts (demo only, not a secret of anything real). */
    public static final String DEMO_CLIENT_ID = "900";
    /** Client secret / password every demo vendor simulator accepts (demo only). */
    public static final String DEMO_SECRET = "demo-secret";

    /** Creates one vendor simulator over the shared PBX state. */
    @FunctionalInterface
    public interface SimulatorFactory {
        HttpSimulator create(SimulatedPbx pbx, String host, int port);
    }

    /**
     * The vendor simulators the demo can run beside the two 3CX ones, by vendor id; each listens on
     * {@code presence.demo.<id>.port} and authenticates with {@link #DEMO_CLIENT_ID} / {@link #DEMO_SECRET}.
     */
    public static final java.util.Map<String, SimulatorFactory> VENDOR_SIMULATORS = java.util.Map.of(
            "3cx-v20", (pbx, host, port) -> new ThreeCxV20Simulator(pbx, host, port, DEMO_CLIENT_ID, DEMO_SECRET),
            "telecomx", (pbx, host, port) -> new TelecomXSimulator(pbx, host, port, DEMO_CLIENT_ID, DEMO_SECRET),
            "voipnow", (pbx, host, port) -> new VoipNowSimulator(pbx, host, port, DEMO_CLIENT_ID, DEMO_SECRET),
            "telphin", (pbx, host, port) -> new TelphinSimulator(pbx, host, port, DEMO_CLIENT_ID, DEMO_SECRET));

    /** The property naming a vendor simulator's port. */
    public static String portProperty(String vendorId) {
        return "presence.demo." + vendorId + ".port";
    }

    /**
     * Starts both simulators and the scenario.
     *
     * @param host            address to listen on, e.g. 127.0.0.1
     * @param httpPort        port of the 3CX HTTP API simulator, 0 for an ephemeral one
     * @param callControlPort port of the 3CX Call Control JSON simulator, 0 for an ephemeral one
     * @param tickMillis      scenario step period; 0 or less: no automatic ticking (call {@code scenario().tick()})
     * @throws IllegalStateException when a port cannot be bound (the message names the property to change)
     */
    public DemoPbx(String host, int httpPort, int callControlPort, long tickMillis) {
        this(builder().host(host).httpPort(httpPort).callControlPort(callControlPort).tickMillis(tickMillis));
    }

    private DemoPbx(Builder b) {
        this.host = b.host;
        this.pbx = new SimulatedPbx();
        this.scenario = new DemoScenario(pbx);
        this.http = new ThreeCxHttpSimulator(pbx, b.host, b.httpPort, b.newCallsFormat);
        this.callControl = new ThreeCxCallControlSimulator(pbx, b.host, b.callControlPort, b.extensionsPath);
        try {
            startSimulator(http, b.httpPort, HTTP_PORT_PROPERTY);
            startSimulator(callControl, b.callControlPort, CALLCONTROL_PORT_PROPERTY);
            for (var v : b.vendorPorts.entrySet()) {
                SimulatorFactory factory = VENDOR_SIMULATORS.get(v.getKey());
                if (factory == null) {
                    throw new IllegalArgumentException("no demo simulator for vendor '" + v.getKey() + "'; known: " + VENDOR_SIMULATORS.keySet());
                }
                HttpSimulator sim = factory.create(pbx, b.host, v.getValue());
                vendors.put(v.getKey(), sim);
                startSimulator(sim, v.getValue(), portProperty(v.getKey()));
            }
            if (b.tickMillis > 0) {
                scenario.start(b.tickMillis);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startSimulator(HttpSimulator simulator, int port, String property) {
        try {
            simulator.start();
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof BindException) {
                throw new IllegalStateException(e.getMessage() + " Set " + property + " to a free port or "
                        + ENABLED_PROPERTY + "=false.", e.getCause());
            }
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public SimulatedPbx pbx() {
        return pbx;
    }

    public DemoScenario scenario() {
        return scenario;
    }

    public ThreeCxHttpSimulator httpSimulator() {
        return http;
    }

    public ThreeCxCallControlSimulator callControlSimulator() {
        return callControl;
    }

    /** Actual port of the 3CX HTTP API simulator. */
    public int httpPort() {
        return http.port();
    }

    /** Actual port of the 3CX Call Control JSON simulator. */
    public int callControlPort() {
        return callControl.port();
    }

    /** e.g. {@code http://127.0.0.1:18081} (append {@code /showallcalls}, {@code /showstatus/201} …). */
    public String httpBaseUrl() {
        return http.baseUrl();
    }

    /** e.g. {@code http://127.0.0.1:18082}. */
    public String callControlBaseUrl() {
        return callControl.baseUrl();
    }

    /** e.g. {@code http://127.0.0.1:18082/extensions}. */
    public String callControlExtensionsUrl() {
        return callControl.extensionsUrl();
    }

    /** Stops the scenario and both simulators. Idempotent. */
    @Override
    public void close() {
        scenario.close();
        http.stop();
        callControl.stop();
        vendors.values().forEach(HttpSimulator::stop);
    }

    /** A running vendor simulator by vendor id (see {@link #VENDOR_SIMULATORS}). */
    public HttpSimulator vendor(String vendorId) {
        HttpSimulator s = vendors.get(vendorId);
        if (s == null) {
            throw new IllegalArgumentException("demo runs no simulator for '" + vendorId + "'; running: " + vendors.keySet());
        }
        return s;
    }

    /** Ids of the vendor simulators this demo runs. */
    public java.util.Set<String> vendorIds() {
        return java.util.Collections.unmodifiableSet(vendors.keySet());
    }

    /** Options of a {@link DemoPbx}; {@link #start()} builds and starts it. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int httpPort;
        private int callControlPort;
        private long tickMillis = 2000;
        private boolean newCallsFormat;
        private String extensionsPath = ThreeCxCallControlSimulator.DEFAULT_PATH;
        private final java.util.Map<String, Integer> vendorPorts = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        /** Also run this vendor's simulator (an id of {@link #VENDOR_SIMULATORS}); port 0: ephemeral. */
        public Builder vendorPort(String vendorId, int port) {
            vendorPorts.put(vendorId, port);
            return this;
        }

        public Builder host(String host) {
            this.host = host == null || host.isBlank() ? "127.0.0.1" : host;
            return this;
        }

        /** 0 (default): ephemeral. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** 0 (default): ephemeral. */
        public Builder callControlPort(int port) {
            this.callControlPort = port;
            return this;
        }

        /** Default 2000; 0 or less: no automatic ticking. */
        public Builder tickMillis(long tickMillis) {
            this.tickMillis = tickMillis;
            return this;
        }

        /** showallcalls in the newer ';' format with Queue_Name / Queue_Nummer (default false). */
        public Builder newCallsFormat(boolean newFormat) {
            this.newCallsFormat = newFormat;
            return this;
        }

        /** Path of the Call Control extension list (default /extensions). */
        public Builder extensionsPath(String path) {
            this.extensionsPath = Objects.requireNonNullElse(path, ThreeCxCallControlSimulator.DEFAULT_PATH);
            return this;
        }

        public DemoPbx start() {
            return new DemoPbx(this);
        }
    }
}
