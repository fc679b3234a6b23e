package pbx.presence.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Stands in for a 3CX v20 PBX's token endpoint, Configuration API (XAPI) Users list and Call
 * Control state (VENDORS.md §3), serving a {@link SimulatedPbx}.
 *
 * <ul>
 *   <li>{@code POST /connect/token}, form {@code client_id}, {@code client_secret},
 *       {@code grant_type=client_credentials} → {@code {token_type:"Bearer", expires_in, access_token}};
 *       wrong client → 401 {@code {"error":"invalid_client",…}}, another grant → 400
 *       {@code unsupported_grant_type}. Lifetime configurable ({@link #setTokenLifetime}, default 60 min).</li>
 *   <li>{@code GET /xapi/v1/Users} (bearer token required) with OData {@code $top} (default
 *       {@link #setDefaultPageSize}, capped by {@link #setMaxPageSize}), {@code $skip},
 *       {@code $count=true} ({@code @odata.count}), {@code $select} and
 *       {@code $expand=ForwardingProfiles($select=…)}; {@code @odata.nextLink} only when
 *       {@link #setNextLinks} is on. Users come in number order ({@code $orderby=Number}).</li>
 *   <li>{@code GET /callcontrol} (bearer token required) → {@code [{dn, type, devices[], participants[]}]}.</li>
 *   <li>A missing, unknown (revoked) or expired token → 401 {@code {"error":{"code":"invalid_token",
 *       "message":…}}} with {@code WWW-Authenticate: Bearer}; other errors are OData
 *       {@code {"error":{"code","message"}}}; 404 for other paths, 405 for other methods.</li>
 * </ul>
 *
 * <p>How {@link SimulatedExtension} appears:
 * <table>
 *   <caption>simulated state → 3CX v20 fields</caption>
 *   <tr><th>SimulatedExtension</th><th>3CX v20</th></tr>
 *   <tr><td>number</td><td>Users {@code Number}; {@code Id} the number itself when numeric; call control {@code dn}</td></tr>
 *   <tr><td>name</td><td>{@code FirstName} (up to the first space) and {@code LastName} (the rest); {@code DisplayName}</td></tr>
 *   <tr><td>enabled</td><td>{@code Enabled}</td></tr>
 *   <tr><td>registered, userAgent</td><td>{@code IsRegistered}; when registered one call control device
 *       {@code {dn, device_id:"sip:<n>@127.0.0.1:5060", user_agent}}, else none</td></tr>
 *   <tr><td>profile</td><td>{@code CurrentProfileName}: Available, Away, Out of office → OutOfOffice,
 *       Custom 1 → Available2, Custom 2 → OutOfOffice2, anything else as given; {@code ForwardingProfiles[]}
 *       lists the five v20 profiles ({@code AcceptMultipleCalls} false)</td></tr>
 *   <tr><td>userStatus, chatStatus</td><td>not served: v20's Users fields have neither</td></tr>
 *   <tr><td>calls</td><td>call control {@code participants[]}: {@code status} the call's state (Connected,
 *       Ringing, Dialing), {@code callid}, {@code party_caller_id}/{@code party_dn} the remote party</td></tr>
 *   <tr><td>loggedInQueues</td><td>one call control DN per queue number, {@code type:"Wqueue"}, no participants</td></tr>
 * </table>
 *
 * <p>Besides the inherited failures (HTTP_500, GARBAGE, HANG, TRUNCATED) it can answer 429 with
 * {@code Retry-After} ({@link #rateLimitNext}), revoke or expire every token, reject every token
 * even a fresh one, answer a vendor error ({@link #setApiError}) and ignore {@code $skip} (a broken
 * server that repeats its first page).
 */
public final class ThreeCxV20Simulator extends TokenApiSimulator {

    public static final String DISPLAY_NAME = "Demo 3CX v20 simulator";
    public static final String TOKEN_PATH = "/connect/token";
    public static final String USERS_PATH = "/xapi/v1/Users";
    public static final String CALL_CONTROL_PATH = "/callcontrol";
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(60);

    private static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern EXPAND_PROFILES = Pattern.compile("ForwardingProfiles(?:\\(\\$select=([^)]*)\\))?");
    /** The five v20 forwarding profiles, with the display names 3CX gives the two custom ones. */
    private static final List<String[]> PROFILES = List.of(
            new String[]{"Available", ""}, new String[]{"Away", ""}, new String[]{"OutOfOffice", ""},
            new String[]{"Available2", "Lunch"}, new String[]{"OutOfOffice2", "Business Trip"});

    /** A vendor error to answer instead of data. */
    private record ApiError(int status, String code, String message) {
    }

    private final String clientId;
    private final String clientSecret;
    private volatile int defaultPageSize = DEFAULT_PAGE_SIZE;
    private volatile int maxPageSize = Integer.MAX_VALUE;
    private volatile boolean nextLinks;
    private volatile boolean ignoreSkip;
    private volatile ApiError apiError;

    /**
     * @param clientId     the API client id (3CX: the service principal's extension number, e.g. 900)
     * @param clientSecret its API key
     */
    public ThreeCxV20Simulator(SimulatedPbx pbx, String host, int port, String clientId, String clientSecret) {
        this(pbx, host, port, clientId, clientSecret, Clock.systemUTC());
    }

    /** @param clock decides when tokens expire */
    public ThreeCxV20Simulator(SimulatedPbx pbx, String host, int port, String clientId, String clientSecret, Clock clock) {
        super(DISPLAY_NAME, "demo-3cx-v20", pbx, host, port,
                new SimulatedTokens(clock, DEFAULT_TOKEN_LIFETIME, SimulatedTokens.base64Url(32)));
        this.clientId = requireText(clientId, "clientId");
        this.clientSecret = requireText(clientSecret, "clientSecret");
    }

    @Override
    public synchronized ThreeCxV20Simulator start() {
        super.start();
        return this;
    }

    public String clientId() {
        return clientId;
    }

    public String usersUrl() {
        return baseUrl() + USERS_PATH;
    }

    // ---- controls ------------------------------------------------------------------------------

    /** Page size when a request has no {@code $top}. */
    public void setDefaultPageSize(int size) {
        this.defaultPageSize = positive(size, "default page size");
    }

    /** The server's own cap on {@code $top} (OData servers have one); default none. */
    public void setMaxPageSize(int size) {
        this.maxPageSize = positive(size, "max page size");
    }

    /** Server-driven paging: add {@code @odata.nextLink} while users remain. */
    public void setNextLinks(boolean on) {
        this.nextLinks = on;
    }

    /** A broken server: {@code $skip} is ignored, so every page is the first one. */
    public void setIgnoreSkip(boolean on) {
        this.ignoreSkip = on;
    }

    /** Authorised Users and call control requests get this status and OData error body until cleared. */
    public void setApiError(int status, String code, String message) {
        this.apiError = new ApiError(status, Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"));
    }

    public void clearApiError() {
        this.apiError = null;
    }

    // ---- HttpSimulator -------------------------------------------------------------------------

    @Override
    protected Response respond(Request request) {
        String method = request.method();
        String path = request.path();
        String query = request.query();
        String m = method.toUpperCase(Locale.ROOT);
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (rateLimitsThisRequest()) {
            return odataError(429, "TooManyRequests", "Too many requests, retry after " + retryAfterSeconds() + " s")
                    .withHeader("Retry-After", String.valueOf(retryAfterSeconds()));
        }
        boolean read = m.equals("GET") || m.equals("HEAD");
        switch (p) {
            case TOKEN_PATH:
                return m.equals("POST") ? token(request) : odataError(405, "MethodNotAllowed", "use POST for " + TOKEN_PATH);
            case USERS_PATH:
            case CALL_CONTROL_PATH: {
                if (!read) {
                    return odataError(405, "MethodNotAllowed", "method not allowed: " + method);
                }
                Response refused = unauthorised(request);
                if (refused != null) {
                    return refused;
                }
                ApiError error = apiError;
                if (error != null) {
                    return odataError(error.status(), error.code(), error.message());
                }
                return p.equals(USERS_PATH) ? users(query) : Response.of(200, JSON, write(callControl()));
            }
            default:
                return odataError(404, "NotFound", "no such resource: " + path);
        }
    }

    @Override
    protected Response garbage(String path) {
        return Response.of(200, JSON, "<html>oops");
    }

    @Override
    protected Response serverError(String path) {
        return odataError(500, "InternalServerError", "simulated internal server error");
    }

    // ---- token endpoint --------------------------------------------------------------------------

    private Response token(Request request) {
        Response refused = refusedClientCredentials(request, clientId, clientSecret, "Client authentication failed");
        if (refused != null) {
            return refused;
        }
        tokens.removeExpired();
        SimulatedTokens.Issued issued = tokens.issue();
        ObjectNode o = MAPPER.createObjectNode()
                .put("token_type", "Bearer")
                .put("expires_in", Math.max(1, issued.lifetime().toSeconds()))
                .put("access_token", issued.token());
        return Response.of(200, JSON, write(o));
    }

    /** Null when the request carries a valid token, else the 401 to answer. */
    private Response unauthorised(Request request) {
        return switch (tokens.check(request.header("Authorization"))) {
            case VALID -> null;
            case MISSING -> unauthorised("unauthorized", "The request requires a bearer token");
            case UNKNOWN -> unauthorised("invalid_token", "The access token is not valid (unknown or revoked)");
            case EXPIRED -> unauthorised("invalid_token", "The access token expired");
            case REJECTED -> unauthorised("invalid_token", "The access token was rejected");
        };
    }

    private static Response unauthorised(String code, String message) {
        return odataError(401, code, message).withHeader("WWW-Authenticate", "Bearer error=\"" + code + "\"");
    }

    // ---- Users -----------------------------------------------------------------------------------

    private Response users(String rawQuery) {
        Map<String, String> q = SimulatorForms.parse(rawQuery);
        Integer top = whole(q.get("$top"));
        Integer skip = whole(q.get("$skip"));
        if ((q.containsKey("$top") && top == null) || (q.containsKey("$skip") && skip == null)) {
            return odataError(400, "BadRequest", "$top and $skip must be non-negative whole numbers");
        }
        int size = Math.min(top == null ? defaultPageSize : top, maxPageSize);
        List<SimulatedExtension> all = pbx.all();
        int n = all.size();
        int from = ignoreSkip || skip == null ? 0 : Math.min(skip, n);
        int to = (int) Math.min((long) from + size, n);
        Set<String> select = list(q.get("$select"));
        Matcher expand = q.get("$expand") == null ? null : EXPAND_PROFILES.matcher(q.get("$expand"));
        boolean profiles = expand != null && expand.find();
        Set<String> profileSelect = profiles ? list(expand.group(1)) : null;

        ObjectNode root = MAPPER.createObjectNode();
        root.put("@odata.context", baseUrl() + "/xapi/v1/$metadata#Users");
        if ("true".equalsIgnoreCase(q.get("$count"))) {
            root.put("@odata.count", n);
        }
        ArrayNode value = root.putArray("value");
        for (SimulatedExtension e : all.subList(from, to)) {
            value.add(user(e, select, profiles, profileSelect));
        }
        if (nextLinks && to < n && to > from) {
            root.put("@odata.nextLink", baseUrl() + USERS_PATH + "?" + withSkip(rawQuery, to));
        }
        return Response.of(200, JSON, write(root));
    }

    private static ObjectNode user(SimulatedExtension e, Set<String> select, boolean profiles, Set<String> profileSelect) {
        ObjectNode o = MAPPER.createObjectNode();
        String[] names = e.name().strip().split("\\s+", 2);
        o.put("Id", idOf(e.number()));
        o.put("Number", e.number());
        o.put("FirstName", names[0]);
        o.put("LastName", names.length > 1 ? names[1] : "");
        o.put("DisplayName", e.name());
        o.put("Enabled", e.enabled());
        o.put("IsRegistered", e.registered());
        o.put("CurrentProfileName", v20Profile(e.profile()));
        if (select != null) {
            o.retain(select);
        }
        if (profiles) {
            ArrayNode list = o.putArray("ForwardingProfiles");
            int id = idOf(e.number()) * 10;
            for (String[] p : PROFILES) {
                ObjectNode fp = list.addObject()
                        .put("Id", ++id)
                        .put("Name", p[0])
                        .put("CustomName", p[1])
                        .put("AcceptMultipleCalls", false)
                        .put("NoAnswerTimeout", 20)
                        .put("RingMyMobile", false);
                if (profileSelect != null) {
                    fp.retain(profileSelect);
                }
            }
        }
        return o;
    }

    /** The simulator's 3CX V18 profile names as v20 names them. */
    static String v20Profile(String profile) {
        String n = profile.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]", "");
        return switch (n) {
            case "available" -> "Available";
            case "away" -> "Away";
            case "outofoffice" -> "OutOfOffice";
            case "custom1" -> "Available2";
            case "custom2" -> "OutOfOffice2";
            default -> profile;
        };
    }

    private static int idOf(String number) {
        if (number.length() <= 8 && number.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(number);
        }
        return number.hashCode() & 0x0fffffff;
    }

    /** The raw query with {@code $skip} replaced, for {@code @odata.nextLink}. */
    private static String withSkip(String rawQuery, int skip) {
        String kept = rawQuery == null ? "" : Arrays.stream(rawQuery.split("&"))
                .filter(kv -> !kv.isEmpty() && !SimulatorForms.decode(kv.split("=", 2)[0]).equals("$skip"))
                .collect(Collectors.joining("&"));
        return (kept.isEmpty() ? "" : kept + "&") + "$skip=" + skip;
    }

    // ---- call control ----------------------------------------------------------------------------

    private ArrayNode callControl() {
        ArrayNode array = MAPPER.createArrayNode();
        Set<String> numbers = new HashSet<>();
        Set<String> queues = new TreeSet<>();
        for (SimulatedExtension e : pbx.all()) {
            numbers.add(e.number());
            queues.addAll(e.loggedInQueues());
            ObjectNode dn = array.addObject().put("dn", e.number()).put("type", "Wextension");
            ArrayNode devices = dn.putArray("devices");
            String deviceId = "sip:" + e.number() + "@127.0.0.1:5060";
            if (e.registered()) {
                devices.addObject().put("dn", e.number()).put("device_id", deviceId).put("user_agent", e.userAgent());
            }
            ArrayNode participants = dn.putArray("participants");
            int leg = 0;
            for (SimulatedCall c : e.calls()) {
                leg++;
                participants.addObject()
                        .put("id", leg)
                        .put("status", c.state())
                        .put("dn", e.number())
                        .put("party_caller_name", "")
                        .put("party_dn", c.remoteParty())
                        .put("party_caller_id", c.remoteParty())
                        .put("party_did", "")
                        .put("device_id", e.registered() ? deviceId : "")
                        .put("party_dn_type", "Wexternalline")
                        .put("direct_control", false)
                        .put("callid", c.callId())
                        .put("legid", leg);
            }
        }
        for (String q : queues) {
            if (!numbers.contains(q)) {
                ObjectNode dn = array.addObject().put("dn", q).put("type", "Wqueue");
                dn.putArray("devices");
                dn.putArray("participants");
            }
        }
        return array;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Response odataError(int status, String code, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.putObject("error").put("code", code).put("message", message);
        return Response.of(status, JSON, write(o));
    }

    private static Set<String> list(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return null;
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    private static Integer whole(String s) {
        if (s == null) {
            return null;
        }
        try {
            int v = Integer.parseInt(s.strip());
            return v < 0 ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int positive(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, was " + v);
        }
        return v;
    }

    private static String requireText(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(DISPLAY_NAME + ": " + what + " is required");
        }
        return v;
    }

    private static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise simulated 3CX v20 state", e);
        }
    }
}
