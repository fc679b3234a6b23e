package pbx.presence.config;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.util.URISupport;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import pbx.presence.change.SourceIds;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks every route that reads from a {@code kamelet:*-presence-source} as Camel adds its
 * definition, before anything is created or polled: the {@code sourceId} is valid and unique, every
 * parameter is one the kamelet documents (a typo such as {@code perod} would otherwise be ignored),
 * required parameters are present, URL parameters are absolute http(s) URLs, and a
 * {@code trustCertificates} file can be read. A failure names
 * the file, the route and the parameter.
 */
public final class SourceRouteChecks implements ModelLifecycleStrategy {

    private static final String SUFFIX = "-presence-source";

    private final CamelContext context;
    private final Map<String, String> sourceIds = new ConcurrentHashMap<>();
    private final Map<String, KameletParameters> kamelets = new ConcurrentHashMap<>();

    public SourceRouteChecks(CamelContext context) {
        this.context = context;
    }

    /** A kamelet's documented parameter names and its required ones. */
    record KameletParameters(Set<String> known, Set<String> required) {
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        if (route.getInput() == null || route.getInput().getEndpointUri() == null) {
            return;
        }
        String uri = route.getInput().getEndpointUri();
        if (!uri.startsWith("kamelet:")) {
            return;
        }
        String name = uri.substring("kamelet:".length()).split("[?/]", 2)[0];
        if (!name.endsWith(SUFFIX)) {
            return;
        }
        String where = where(route);
        Map<String, Object> params;
        try {
            String query = uri.contains("?") ? uri.substring(uri.indexOf('?') + 1) : "";
            params = URISupport.parseQuery(query, true);
        } catch (Exception e) {
            throw new ConfigurationException(where + ": cannot read the kamelet parameters (" + e.getMessage() + ")");
        }
        KameletParameters spec = kamelets.computeIfAbsent(name, n -> load(n, where));
        Set<String> unknown = new TreeSet<>(params.keySet());
        unknown.removeAll(spec.known());
        if (!unknown.isEmpty()) {
            throw new ConfigurationException(where + ": unknown parameter(s) " + unknown + " for kamelet " + name
                    + "; it takes " + new TreeSet<>(spec.known()));
        }
        Set<String> missing = new TreeSet<>(spec.required());
        missing.removeAll(params.keySet());
        if (!missing.isEmpty()) {
            throw new ConfigurationException(where + ": missing required parameter(s) " + missing + " for kamelet " + name);
        }
        for (String key : spec.required()) {
            if (resolve(String.valueOf(params.get(key)), where, key).isBlank()) {
                throw new ConfigurationException(where + ": required parameter " + key + " of kamelet " + name
                        + " is empty (is the environment variable it refers to set?)");
            }
        }
        String sourceId = resolve(String.valueOf(params.get("sourceId")), where, "sourceId");
        try {
            SourceIds.requireValid(sourceId);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + e.getMessage());
        }
        String other = sourceIds.putIfAbsent(sourceId, where);
        if (other != null) {
            throw new ConfigurationException(where + ": sourceId '" + sourceId + "' is already used by " + other
                    + "; every PBX account needs its own id (it keys state, events and logs)");
        }
        for (var p : params.entrySet()) {
            String key = p.getKey();
            if (key.equals("url") || key.equals("baseUrl") || key.endsWith("Url")) {
                checkUrl(resolve(String.valueOf(p.getValue()), where, key), where, key);
            }
            if (key.equals("trustCertificates")) {
                checkReadableFile(resolve(String.valueOf(p.getValue()), where, key), where, key);
            }
        }
    }

    private String resolve(String value, String where, String key) {
        try {
            return context.resolvePropertyPlaceholders(value);
        } catch (RuntimeException e) {
            throw new ConfigurationException(where + ": parameter " + key + " refers to a property that is not set ("
                    + e.getMessage() + ")");
        }
    }

    private static void checkUrl(String url, String where, String key) {
        URI u;
        try {
            u = HttpUrls.requireHttp(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": parameter " + key + " " + e.getMessage());
        }
        if (u.getUserInfo() != null) {
            throw new ConfigurationException(where + ": parameter " + key
                    + " must not carry credentials; use the kamelet's credential parameters with {{env:NAME}}");
        }
    }

    private static void checkReadableFile(String file, String where, String key) {
        if (!file.isBlank() && !Files.isReadable(Path.of(file.strip()))) {
            throw new ConfigurationException(where + ": parameter " + key + " names a file that cannot be read: '"
                    + file.strip() + "'");
        }
    }

    private static String where(RouteDefinition route) {
        Resource r = route.getResource();
        String file = r == null ? "a route" : r.getLocation().replaceFirst("^file:", "");
        return file + ", route " + (route.getRouteId() == null ? "(without id)" : route.getRouteId());
    }

    @SuppressWarnings("unchecked")
    private KameletParameters load(String name, String where) {
        String fileName = name + ".kamelet.yaml";
        try (InputStream in = open(fileName)) {
            if (in == null) {
                throw new ConfigurationException(where + ": no kamelet named " + name + " (looked for " + fileName
                        + " in kamelets/ and on the classpath)");
            }
            Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
            Map<String, Object> def = (Map<String, Object>) ((Map<String, Object>) doc.get("spec")).get("definition");
            Map<String, Object> props = (Map<String, Object>) def.getOrDefault("properties", Map.of());
            Set<String> required = new TreeSet<>();
            Object req = def.get("required");
            if (req instanceof Iterable<?> it) {
                it.forEach(o -> required.add(String.valueOf(o)));
            }
            return new KameletParameters(Set.copyOf(props.keySet()), required);
        } catch (ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigurationException("kamelet " + fileName + " cannot be read: " + e.getMessage());
        }
    }

    private static InputStream open(String fileName) throws java.io.IOException {
        Path local = Path.of("kamelets", fileName);
        if (Files.exists(local)) {
            return Files.newInputStream(local);
        }
        return SourceRouteChecks.class.getClassLoader().getResourceAsStream("kamelets/" + fileName);
    }

    @Override
    public void onRemoveRouteDefinition(RouteDefinition route) {
    }

    @Override
    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
    }

    @Override
    public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
    }
}
