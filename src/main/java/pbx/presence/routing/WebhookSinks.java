package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every webhook sink of this router by name (each {@code presence-webhook-sink} kamelet instance
 * registers its {@link WebhookSink}), and the one place the shared webhook routes and their error
 * handler ({@code webhook-delivery}) reach the sink an event belongs to: the exchange property
 * {@link WebhookSink#PROPERTY} set by the kamelet, or, for a replayed dead letter, the sink named by
 * its replay folder. So the error handler is written once and two webhooks keep two secrets, two
 * attempt budgets and two 410 switches.
 *
 * <p>Used as {@code retryWhile: {ref: webhookSinks}} (a {@link Predicate}: Camel then hands it the
 * real exchange, see {@link WebhookRetryPolicy}); {@link #deadLetter} and {@link #gone} are read-only
 * and work as {@code method:} calls.
 */
public final class WebhookSinks implements Predicate {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.webhook");

    /** The kamelet whose instances are webhook sinks. */
    public static final String KAMELET = "presence-webhook-sink";

    private final Map<String, WebhookSink> sinks = new ConcurrentHashMap<>();

    /** Called by each kamelet instance's bean; a name used twice is refused (two routes would share one log position). */
    void add(WebhookSink sink) {
        WebhookSink before = sinks.putIfAbsent(sink.name(), sink);
        if (before != null && before != sink) {
            throw new IllegalArgumentException("two presence-webhook-sink instances use the sink name '" + sink.name()
                    + "': give each webhook its own name (and its own from: presence-events:<name>)");
        }
    }

    /** The sink of that name, or null. */
    public WebhookSink sink(String name) {
        return sinks.get(name);
    }

    /**
     * Makes a {@link WebhookSink} for every {@code presence-webhook-sink} kamelet instance, from its
     * parameters as the route template holds them. (Camel 4.18 does not bind template-local beans for
     * a kamelet used in {@code to:}, so the kamelet cannot carry its own bean; the parameters stay in
     * Camel's model, never in exchange properties or processor labels, where a secret could be logged.)
     * Called when the routes exist, before they start: a bad secret or URL fails the start.
     */
    public void registerAll(org.apache.camel.CamelContext context) {
        var model = context.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        for (var route : model.getRouteDefinitions()) {
            Map<String, Object> p = route.getTemplateParameters();
            if (p == null || !KAMELET.equals(String.valueOf(p.get("templateId"))) || p.get("sink") == null) {
                continue;
            }
            String name = param(context, route, "sink", null);
            if (sinks.containsKey(name)) {
                continue;
            }
            WebhookSink.create(this, name, param(context, route, "url", ""), param(context, route, "secret", ""),
                    Integer.parseInt(param(context, route, "maxAttempts", "10")),
                    Integer.parseInt(param(context, route, "maxRetryAfterSeconds", "3600")));
        }
    }

    private static String param(org.apache.camel.CamelContext context, org.apache.camel.model.RouteDefinition route, String key, String def) {
        Object v = route.getTemplateParameters().get(key);
        if (v == null && route.getTemplateDefaultParameters() != null) {
            v = route.getTemplateDefaultParameters().get(key);
        }
        if (v == null) {
            return def;
        }
        String text = context.resolvePropertyPlaceholders(String.valueOf(v));
        if ((text.startsWith("RAW(") && text.endsWith(")")) || (text.startsWith("RAW{") && text.endsWith("}"))) {
            text = text.substring(4, text.length() - 1);
        }
        return text.strip();
    }

    /** The kamelet's first step: the event goes to the webhook sink of that name. */
    public void select(Exchange exchange, String name) {
        WebhookSink sink = sinks.get(name);
        if (sink == null) {
            registerAll(exchange.getContext());
            sink = sinks.get(name);
        }
        if (sink == null) {
            throw new IllegalStateException("no webhook sink named " + name);
        }
        sink.select(exchange);
    }

    /** The sink this exchange delivers for. */
    static WebhookSink of(Exchange exchange) {
        WebhookSink sink = exchange.getProperty(WebhookSink.PROPERTY, WebhookSink.class);
        if (sink == null) {
            throw new IllegalStateException("no webhook sink on the exchange: deliver through the presence-webhook-sink kamelet");
        }
        return sink;
    }

    /** Replay: the sink named by the replay file's folder ({@code presence.replay.directory/<sink>/}). */
    public void selectByFolder(Exchange exchange) {
        String folder = exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class);
        String name = folder == null ? null : Path.of(folder).getFileName().toString();
        WebhookSink sink = name == null ? null : sinks.get(name);
        if (sink == null || !sink.configured()) {
            throw new IllegalStateException("replay folder " + folder + " names no configured webhook sink");
        }
        sink.select(exchange);
    }

    @Override
    public boolean matches(Exchange exchange) {
        return of(exchange).policy(exchange).shouldRetry(exchange);
    }

    /** The {@code handled} predicate: dead-letter and go on; never for a sink a 410 disabled, nor while stopping. */
    public boolean deadLetter(Exchange exchange) {
        WebhookSink sink = exchange.getProperty(WebhookSink.PROPERTY, WebhookSink.class);
        return sink != null && !sink.disabled() && sink.policy(exchange).deadLetter(exchange);
    }

    /** 410 Gone now, or earlier: the sink is (being) disabled and the event waits in the log. */
    public boolean gone(Exchange exchange) {
        WebhookSink sink = exchange.getProperty(WebhookSink.PROPERTY, WebhookSink.class);
        return sink != null && (sink.disabled() || sink.policy(exchange).gone(exchange));
    }

    /** 410 Gone: stops the route that reads the log for this sink (only this one). */
    public void disable(Exchange exchange) {
        of(exchange).disabler().process(exchange);
    }

    /** The signed POST of the exchange's sink ({@code process: {ref: webhookRequest}}). */
    public Processor request() {
        return exchange -> of(exchange).request(exchange).process(exchange);
    }

    /**
     * The replay consumer's filter: folders of configured webhook sinks and their {@code .jsonl}
     * files; any other folder is left alone (no error every second for a webhook that is off).
     */
    public <T> GenericFileFilter<T> replayFolders() {
        return (GenericFile<T> file) -> {
            if (file.isDirectory()) {
                WebhookSink sink = sinks.get(file.getFileNameOnly());
                return sink != null && sink.configured();
            }
            if (!file.getFileNameOnly().endsWith(".jsonl")) {
                return false;
            }
            String parent = Path.of(file.getAbsoluteFilePath()).getParent().getFileName().toString();
            WebhookSink sink = sinks.get(parent);
            if (sink == null || !sink.configured()) {
                LOG.debug("Replay file {} is not in the folder of a configured webhook sink; left alone", file.getAbsoluteFilePath());
                return false;
            }
            return true;
        };
    }
}
