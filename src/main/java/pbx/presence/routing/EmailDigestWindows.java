package pbx.presence.routing;

import pbx.presence.change.SinkLog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;

/**
 * One {@link EmailDigestWindow} per e-mail sink name, so every {@code presence-email-sink} kamelet
 * instance in digest mode reads its own window from its own log position. A window is opened (the
 * sink name claimed) when first used, or at start by the wiring for the shipped digest, and closed
 * when the router stops.
 */
public final class EmailDigestWindows {

    /** Exchange property: the sink name whose window a digest takes (set by the kamelet). */
    public static final String SINK = "PbxSinkName";

    private final SinkLog log;
    private final int maxEvents;
    private final Map<String, EmailDigestWindow> open = new ConcurrentHashMap<>();

    public EmailDigestWindows(SinkLog log, int maxEvents) {
        this.log = log;
        this.maxEvents = maxEvents;
    }

    /** The sink's window, opened on first use. */
    public EmailDigestWindow window(String sink) {
        return open.computeIfAbsent(sink, name -> {
            EmailDigestWindow w = new EmailDigestWindow(log, name, maxEvents);
            w.open();
            return w;
        });
    }

    /** Sets the body to the window of the sink named by the exchange property {@value #SINK}. */
    public void take(Exchange exchange) {
        String sink = exchange.getProperty(SINK, String.class);
        if (sink == null || sink.isBlank()) {
            throw new IllegalStateException("e-mail digest without a sink name (exchange property " + SINK + ")");
        }
        window(sink).take(exchange);
    }

    /** Releases every claimed sink name (the router stops). */
    public void closeAll() {
        open.values().forEach(EmailDigestWindow::close);
        open.clear();
    }
}
