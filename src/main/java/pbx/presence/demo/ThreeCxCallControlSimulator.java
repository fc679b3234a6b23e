package pbx.presence.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Stands in for a site's bridge that serialises 3CX Call Control API extensions
 * ({@code TCX.Configuration.Extension}) as JSON, shaped like seed 000 (VENDORS.md §2).
 *
 * <ul>
 *   <li>{@code GET <extensionsPath>} (default {@code /extensions}): JSON array of extension objects</li>
 *   <li>{@code GET <extensionsPath>/{number}}: one extension object; 404 {@code {"error":"..."}} when unknown</li>
 *   <li>anything else: 404; a method other than GET/HEAD: 405</li>
 * </ul>
 * An extension object: {@code Number, Name, Enabled, IsRegistered, HidePresence (false), BusyDetection (2),
 * ActiveConnections[{CallID, ID, DN, Status, ExternalParty, IsInbound, IsOutbound, QueueName?, QueueNumber?}],
 * QueueStatus (1 when logged in to a queue, else 0), Status (0), UserStatus, CurrentProfile, Properties[]},
 * where Properties are seed-000 strings {@code KEY=VALUE(String) [description]}, among them
 * {@code CHATSTATUS}, {@code LOGGED_IN_QUEUES} (comma separated) and {@code MOBILENUMBER}.
 */
public final class ThreeCxCallControlSimulator extends HttpSimulator {

    public static final String DISPLAY_NAME = "Demo 3CX Call Control simulator";
    public static final String DEFAULT_PATH = "/extensions";

    private static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String extensionsPath;

    public ThreeCxCallControlSimulator(SimulatedPbx pbx, String host, int port) {
        this(pbx, host, port, DEFAULT_PATH);
    }

    /** @param extensionsPath the list path, e.g. {@code /extensions} or {@code /api/3cx/extensions} */
    public ThreeCxCallControlSimulator(SimulatedPbx pbx, String host, int port, String extensionsPath) {
        super(DISPLAY_NAME, "demo-3cx-callcontrol", pbx, host, port);
        this.extensionsPath = normalisePath(extensionsPath);
    }

    @Override
    public ThreeCxCallControlSimulator start() {
        super.start();
        return this;
    }

    public String extensionsPath() {
        return extensionsPath;
    }

    /** {@code baseUrl() + extensionsPath()}: the URL a 3cx-callcontrol source polls. */
    public String extensionsUrl() {
        return baseUrl() + extensionsPath;
    }

    /** The JSON array served for the current state (without failure injection). */
    public String extensionsJson() {
        ArrayNode array = MAPPER.createArrayNode();
        for (SimulatedExtension e : pbx.all()) {
            array.add(toJson(e));
        }
        return write(array);
    }

    @Override
    protected Response respond(String method, String path, String query) {
        String m = method.toUpperCase(Locale.ROOT);
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        boolean list = p.equals(extensionsPath);
        boolean one = !list && p.startsWith(extensionsPath + "/") && p.indexOf('/', extensionsPath.length() + 1) < 0;
        if (!list && !one) {
            return error(404, "no such resource: " + path);
        }
        if (!m.equals("GET") && !m.equals("HEAD")) {
            return error(405, "method not allowed: " + method);
        }
        if (list) {
            return Response.of(200, JSON, extensionsJson());
        }
        String number = p.substring(extensionsPath.length() + 1);
        return pbx.get(number)
                .map(e -> Response.of(200, JSON, write(toJson(e))))
                .orElseGet(() -> error(404, "extension not found: " + number));
    }

    @Override
    protected Response garbage(String path) {
        return Response.of(200, JSON, "<html>oops");
    }

    @Override
    protected Response serverError(String path) {
        return Response.of(500, JSON, "{\"error\":\"simulated internal server error\"}");
    }

    private static Response error(int status, String message) {
        ObjectNode o = MAPPER.createObjectNode().put("error", message);
        return Response.of(status, JSON, write(o));
    }

    /** One extension as a seed-000-shaped JSON object. */
    static ObjectNode toJson(SimulatedExtension e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("Number", e.number());
        o.put("Name", e.name());
        o.put("Enabled", e.enabled());
        o.put("IsRegistered", e.registered());
        o.put("HidePresence", false);
        o.put("BusyDetection", 2);
        ArrayNode connections = o.putArray("ActiveConnections");
        int id = 1;
        for (SimulatedCall c : e.calls()) {
            ObjectNode conn = connections.addObject();
            conn.put("CallID", c.callId());
            conn.put("ID", id++);
            conn.put("DN", e.number());
            conn.put("Status", c.state());
            conn.put("ExternalParty", c.remoteParty());
            conn.put("IsInbound", c.inbound());
            conn.put("IsOutbound", !c.inbound());
            if (c.viaQueue()) {
                conn.put("QueueName", c.queueName());
                if (c.queueNumber() != null) {
                    conn.put("QueueNumber", c.queueNumber());
                }
            }
        }
        o.put("QueueStatus", e.loggedInQueues().isEmpty() ? 0 : 1);
        o.put("Status", 0);
        o.put("UserStatus", e.userStatus());
        o.put("CurrentProfile", e.profile());
        ArrayNode props = o.putArray("Properties");
        properties(e).forEach(props::add);
        return o;
    }

    /** The {@code Properties[]} strings of seed 000, with this extension's values. */
    static List<String> properties(SimulatedExtension e) {
        String guid = UUID.nameUUIDFromBytes(("demo-ext-" + e.number()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        return List.of(
                "VOICEMAILPINAUTH=1(String) [Specifies that the extension can read voice mail without pin authentication.Set to 0 will access the VM menu directly]",
                "MOBILENUMBER=(String) [The mobile number specified for extension]",
                "PHONESYSUSER_ACCESS=0(String) [Management Console Access 0=unchecked 1=checked]",
                "REPORTER_ACCESS=0(String) [Specifies if the extension has access to the 3CX Web Reporter]",
                "WALLBOARD_ACCESS=0(String) [Specifies if the extension has access to the 3CX Wallboard]",
                "TURNOFFMYPHONE=0(String) [Specifies that the extension does not have acces to MyPhone]",
                "HIDEFORWARDRULESTAB=0(String) [Hide extension forwarding rules tab in 3cx My Phone]",
                "SEERECORDING=1(String) [The 'see' recording rights for corresponding extension]",
                "EMAILMISSEDCALL=0(String) [Send email on missed call to this extension]",
                "ALLOW_LAN_ONLY=0(String) [Blocks an extension from being registered outside the network]",
                "STARTUPSCREEN=0(String) [Default startup (0 -Dial Pad  1 - Presence)]",
                "DESKPHONE_PASSWORD=(String) [Password for Web access to the device]",
                "EXTGUID=" + guid + "(String) [Unique identifier for 3CX phone provisioning]",
                "PROVPATH=/provisioning/demo" + e.number() + "(String) [The path to provision file for the current extension]",
                "CHATSTATUS=" + e.chatStatus() + "(String) [0-Online, 1-Away, 2-Do Not Disturb, 3-Invisible, 4-Offline]",
                "SHARED_BLFS=<PhoneDevice><BLFS /></PhoneDevice>(String) [Shared BLFs for this extension (used for all phones belong to this extension)]",
                "LOGGED_IN_QUEUES=" + String.join(",", e.loggedInQueues()) + "(String) []",
                "EXT_MC_ACCESS_TYPE=4(String) []",
                "DONT_SHOW_EXT_IN_PHBK=0(String) [Do not show extension in 3CX company phonebook]",
                "OFFICEHOURSPROPERTIES=1(String) [Represents the options for office hours on the current extension]",
                "PBXIP=127.0.0.1(String) [Pbx ip for 3CX Phone provisioning]");
    }

    private static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise simulated extension", e);
        }
    }

    private static String normalisePath(String path) {
        String p = path == null || path.isBlank() ? DEFAULT_PATH : path.trim();
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/")) {
            throw new IllegalArgumentException("extensions path must not be the root path");
        }
        return p;
    }
}
