package pbx.presence.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the TelecomX PBX API (seed 004, VENDORS.md §6) from a {@link SimulatedPbx}:
 *
 * <ul>
 *   <li>{@code POST /auth/login} {@code {username, password}} → {@code {token, expiresInMinutes,
 *       employee, customer, accessLevel}}; wrong credentials → 401 {@code {code, message}}. Tokens
 *       live {@link #setTokenLifetime} (15 min by default); {@code expiresInMinutes} announces the
 *       lifetime rounded up to whole minutes (at least 1), so a shorter lifetime is only discovered
 *       through a 401, exactly like a token revoked early.</li>
 *   <li>Every other path needs the token in {@code Authorization: Bearer <token>} (configurable,
 *       {@link #setTokenHeader}); missing, unknown, revoked or expired → 401
 *       {@code {"code":"unauthorized","message":…}}.</li>
 *   <li>{@code GET|POST /pbx/app/employees[?calls=true][&standalone=true]}: an array of
 *       {@code EMPLOYEE} records {@code {_id, type, name, presence:{state}, extensions:[…]}} (one
 *       extension each) and, with {@code standalone=true}, {@code EXTENSION} records for the
 *       extensions marked {@link #setStandalone standalone}. Each extension carries its phones,
 *       {@code state} and, with {@code calls=true}, {@code calls[]} (the shape the connector
 *       ASSUMES, see {@code TelecomXEmployeesShape}).</li>
 *   <li>{@code GET /pbx/extension?offset&limit&includePhones&sort}: one page, {@code limit} default
 *       {@link #setDefaultPageSize} (50, as the API), 1..1000 else 400 {@code bad_request};
 *       {@code sort=number} or by name (the API's default); served as
 *       {@code {offset, limit, total, extensions}} or a bare array ({@link #setListShape}).</li>
 *   <li>{@code GET /pbx/extension/{id}[?includePhones=true]}: one extension; 400 {@code bad_request}
 *       for an id that is not 24 hex characters, 404 {@code not_found} for an unknown one.</li>
 *   <li>{@link #setAccessDenied} → 403 {@code access_denied}; HTTP_500 → 500 {@code internal_error};
 *       {@link #rateLimitNext} → 429 with {@code Retry-After} for the next K requests;
 *       {@link #setIgnoreOffset} serves the first page whatever the offset (a broken server).</li>
 * </ul>
 *
 * <p>How {@link SimulatedExtension} maps onto TelecomX:
 * <ul>
 *   <li>number, name → {@code number}, {@code name}; ids are 24 hex characters derived from the number</li>
 *   <li>profile → employee presence: Available → WORK, Away → BUSY, Out of office → OFF_WORK,
 *       Custom 1 → HOLIDAY, Custom 2 → BUSY, a TelecomX state (WORK, OFF_WORK, HOLIDAY, BUSY) as
 *       is, anything else upper-cased with '_' for spaces (an undocumented state)</li>
 *   <li>registered and enabled → the one SIP phone's {@code online} (TelecomX has no enabled flag: a
 *       disabled extension's phone is blocked, i.e. not online); userAgent → the phone's {@code model}</li>
 *   <li>chat status DND (2) → the phone's {@code dnd}; other chat statuses and UserStatus have no
 *       TelecomX counterpart</li>
 *   <li>calls → {@code calls[{_id, state, direction, remote, queue}]} with Connected → UP, Ringing →
 *       RINGING, Dialing → DIALING; extension {@code state}: IDLE, RINGING, INUSE, or UNAVAILABLE
 *       when idle with no phone online</li>
 *   <li>{@code onPresenceOffWork/Holiday/Busy}: the seed's example (AVAILABLE, BUSY, BUSY) unless
 *       {@link #setPolicies} says otherwise; {@code callWaiting}: true (the seed's example) unless
 *       {@link #setCallWaiting} says otherwise</li>
 *   <li>logged-in queues are not served: the API has no such field</li>
 * </ul>
 *
 * <p>Inherits the failure modes (HTTP_500, GARBAGE, HANG, TRUNCATED) and request counters.
 */
public final class TelecomXSimulator extends TokenApiSimulator {

    public static final String DISPLAY_NAME = "Demo TelecomX simulator";
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 1000;
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(15);
    public static final String CUSTOMER_ID = "12345678901234567890ADEF";

    /** How {@code GET /pbx/extension} wraps a page. */
    public enum ListShape { ENVELOPE, ARRAY }

    /** An extension's {@code onPresenceOffWork}, {@code onPresenceHoliday} and {@code onPresenceBusy}. */
    public record Policies(String offWork, String holiday, String busy) {
        /** The seed-004 example's values. */
        public static final Policies SEED = new Policies("AVAILABLE", "BUSY", "BUSY");
    }

    private static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String username;
    private final String password;
    private final Map<String, Policies> policies = new ConcurrentHashMap<>();
    private final Map<String, Boolean> callWaiting = new ConcurrentHashMap<>();
    private final Set<String> standalone = ConcurrentHashMap.newKeySet();
    private volatile boolean accessDenied;
    private volatile String tokenHeader = "Authorization";
    private volatile String tokenScheme = "Bearer";
    private volatile int defaultPageSize = DEFAULT_PAGE_SIZE;
    private volatile ListShape listShape = ListShape.ENVELOPE;
    private volatile boolean ignoreOffset;

    public TelecomXSimulator(SimulatedPbx pbx, String host, int port, String username, String password) {
        super(DISPLAY_NAME, "demo-telecomx", pbx, host, port,
                new SimulatedTokens(Clock.systemUTC(), DEFAULT_TOKEN_LIFETIME, SimulatedTokens.hex(20)));
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException(DISPLAY_NAME + ": username and password are required");
        }
        this.username = username;
        this.password = password;
    }

    @Override
    public TelecomXSimulator start() {
        super.start();
        return this;
    }

    // ---- configuration -----------------------------------------------------------------------

    /** The header that must carry the token and the text before it ({@code ""} for the bare token). */
    public void setTokenHeader(String headerName, String scheme) {
        this.tokenHeader = Objects.requireNonNull(headerName, "headerName");
        this.tokenScheme = scheme == null ? "" : scheme;
    }

    /** {@code limit} used when a request names none (the API's default is 50). */
    public void setDefaultPageSize(int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size must be 1.." + MAX_PAGE_SIZE);
        }
        this.defaultPageSize = size;
    }

    public void setListShape(ListShape shape) {
        this.listShape = Objects.requireNonNull(shape, "shape");
    }

    /** While true, {@code GET /pbx/extension} serves the first page whatever the offset (a broken server). */
    public void setIgnoreOffset(boolean ignore) {
        this.ignoreOffset = ignore;
    }

    /** While true, data requests with a valid token are answered 403 access_denied. */
    public void setAccessDenied(boolean denied) {
        this.accessDenied = denied;
    }

    public void setPolicies(String number, Policies p) {
        policies.put(number, Objects.requireNonNull(p, "policies"));
    }

    public void setCallWaiting(String number, boolean on) {
        callWaiting.put(number, on);
    }

    /** A standalone extension has no employee: it is listed as an EXTENSION record, without presence. */
    public void setStandalone(String number, boolean isStandalone) {
        if (isStandalone) {
            standalone.add(number);
        } else {
            standalone.remove(number);
        }
    }

    // ---- counters ----------------------------------------------------------------------------

    /** The 24-hex-character id this simulator gives an extension number. */
    public static String extensionId(String number) {
        return hexId("extension:" + number);
    }

    public static String employeeId(String number) {
        return hexId("employee:" + number);
    }

    // ---- answers -----------------------------------------------------------------------------

    @Override
    protected Response respond(Request request) {
        String m = request.method().toUpperCase(Locale.ROOT);
        String path = request.path();
        Map<String, String> q = SimulatorForms.parse(request.query());
        if (rateLimitsThisRequest()) {
            return error(429, "too_many_requests", "Rate limit exceeded, retry later")
                    .withHeader("Retry-After", Integer.toString(retryAfterSeconds()));
        }
        if (path.equals("/auth/login")) {
            return login(m, request, q);
        }
        String refused = tokenProblem(request);
        if (refused != null) {
            return error(401, "unauthorized", refused);
        }
        if (accessDenied) {
            return error(403, "access_denied", "Insufficient access level");
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.equals("/pbx/app/employees")) {
            if (!m.equals("GET") && !m.equals("POST")) {
                return error(405, "method_not_allowed", "Method not allowed: " + request.method());
            }
            return Response.of(200, JSON, write(employees(q)));
        }
        if (p.equals("/pbx/extension") || p.startsWith("/pbx/extension/")) {
            if (!m.equals("GET") && !m.equals("HEAD")) {
                return error(405, "method_not_allowed", "Method not allowed: " + request.method());
            }
            return p.equals("/pbx/extension") ? list(q) : one(p.substring("/pbx/extension/".length()), q);
        }
        return error(404, "not_found", "Resource not found: " + path);
    }

    @Override
    protected Response garbage(String path) {
        return Response.of(200, JSON, "<html>oops");
    }

    @Override
    protected Response serverError(String path) {
        return error(500, "internal_error", "Simulated internal error");
    }

    private Response login(String method, Request request, Map<String, String> q) {
        String user;
        String pass;
        if (method.equals("POST")) {
            JsonNode body;
            try {
                body = MAPPER.readTree(request.body());
            } catch (IOException e) {
                return error(400, "bad_request", "Body must be a JSON object");
            }
            if (body == null || !body.isObject()) {
                return error(400, "bad_request", "Body must be a JSON object");
            }
            user = body.path("username").asText(null);
            pass = body.path("password").asText(null);
        } else if (method.equals("GET")) {
            user = q.get("username");
            pass = q.get("password");
        } else {
            return error(405, "method_not_allowed", "Method not allowed: " + method);
        }
        if (user == null || pass == null) {
            return error(400, "bad_request", "username and password are required");
        }
        if (!username.equals(user) || !password.equals(pass)) {
            return error(401, "unauthorized", "Wrong username or password");
        }
        SimulatedTokens.Issued issued = tokens.issue();
        long minutes = Math.max(1, (issued.lifetime().toSeconds() + 59) / 60);
        ObjectNode o = MAPPER.createObjectNode()
                .put("token", issued.token())
                .put("expiresInMinutes", minutes)
                .put("employee", hexId("login:" + username))
                .put("customer", CUSTOMER_ID)
                .put("accessLevel", "OWNER");
        return Response.of(200, JSON, write(o));
    }

    /** Why the request's token is refused, or null when it is good. */
    private String tokenProblem(Request request) {
        String value = request.header(tokenHeader);
        String prefix = tokenScheme.isEmpty() ? "" : tokenScheme + " ";
        if (value == null || !value.regionMatches(true, 0, prefix, 0, prefix.length()) || value.length() == prefix.length()) {
            return "Missing access token";
        }
        String token = value.substring(prefix.length()).strip();
        SimulatedTokens.Verdict verdict = tokens.checkToken(token);
        if (verdict == SimulatedTokens.Verdict.UNKNOWN || tokens.rejectingAll()) {
            return "Invalid access token"; // TelecomX refuses before looking at the expiry
        }
        if (verdict == SimulatedTokens.Verdict.EXPIRED) {
            tokens.revoke(token); // an expired token is forgotten once refused
            return "Access token expired";
        }
        return null;
    }

    private ArrayNode employees(Map<String, String> q) {
        boolean withCalls = "true".equalsIgnoreCase(q.get("calls"));
        boolean withStandalone = "true".equalsIgnoreCase(q.get("standalone"));
        ArrayNode records = MAPPER.createArrayNode();
        for (SimulatedExtension e : pbx.all()) {
            boolean alone = standalone.contains(e.number());
            if (alone && !withStandalone) {
                continue;
            }
            ObjectNode ext = extension(e, true, true, withCalls);
            if (alone) {
                records.add(ext);
                continue;
            }
            ObjectNode employee = records.addObject();
            employee.put("_id", employeeId(e.number()));
            employee.put("type", "EMPLOYEE");
            employee.put("name", e.name());
            employee.put("title", "");
            employee.put("department", "");
            employee.putObject("presence").put("state", presenceOf(e.profile()));
            employee.putArray("extensions").add(ext);
        }
        return records;
    }

    private Response list(Map<String, String> q) {
        int offset;
        int limit;
        try {
            offset = q.containsKey("offset") ? Integer.parseInt(q.get("offset")) : 0;
            limit = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : defaultPageSize;
        } catch (NumberFormatException e) {
            return error(400, "bad_request", "offset and limit must be numbers");
        }
        if (offset < 0 || limit < 1 || limit > MAX_PAGE_SIZE) {
            return error(400, "bad_request", "limit must be between 1 and " + MAX_PAGE_SIZE + " and offset not negative");
        }
        if (ignoreOffset) {
            offset = 0;
        }
        boolean phones = "true".equalsIgnoreCase(q.get("includePhones"));
        List<SimulatedExtension> all = pbx.all(); // ordered by number
        if (!"number".equalsIgnoreCase(q.get("sort"))) {
            all.sort(Comparator.comparing(SimulatedExtension::name).thenComparing(e -> e.number().length())
                    .thenComparing(SimulatedExtension::number));
        }
        ArrayNode items = MAPPER.createArrayNode();
        for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
            items.add(extension(all.get(i), phones, false, false));
        }
        if (listShape == ListShape.ARRAY) {
            return Response.of(200, JSON, write(items));
        }
        ObjectNode envelope = MAPPER.createObjectNode().put("offset", offset).put("limit", limit).put("total", all.size());
        envelope.set("extensions", items);
        return Response.of(200, JSON, write(envelope));
    }

    private Response one(String id, Map<String, String> q) {
        if (!id.matches("[0-9A-Fa-f]{24}")) {
            return error(400, "bad_request", "Id not found in requestURI");
        }
        boolean phones = "true".equalsIgnoreCase(q.get("includePhones"));
        for (SimulatedExtension e : pbx.all()) {
            if (extensionId(e.number()).equalsIgnoreCase(id)) {
                return Response.of(200, JSON, write(extension(e, phones, false, false)));
            }
        }
        return error(404, "not_found", "Extension not found");
    }

    /** One extension, seed-004 shaped (the nested noAnswer / busy / outbound settings are left out). */
    private ObjectNode extension(SimulatedExtension e, boolean withPhones, boolean withState, boolean withCalls) {
        Policies p = policies.getOrDefault(e.number(), Policies.SEED);
        boolean online = e.enabled() && e.registered();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("_id", extensionId(e.number()));
        o.put("type", "EXTENSION");
        o.put("customer", CUSTOMER_ID);
        o.put("name", e.name());
        o.put("number", e.number());
        o.putNull("startAudio");
        o.putNull("redirect");
        o.put("notes", "");
        if (standalone.contains(e.number())) {
            o.putNull("employee");
        } else {
            o.put("employee", employeeId(e.number()));
        }
        o.putNull("direct");
        o.put("primary", true);
        o.put("phonebook", true);
        o.put("callWaiting", callWaiting.getOrDefault(e.number(), true));
        o.put("blockSecret", false);
        o.put("autoMaster", false);
        o.put("mobileUseOwnNumber", false);
        o.put("mobileDelay", 0);
        o.put("onPresenceOffWork", p.offWork());
        o.put("onPresenceHoliday", p.holiday());
        o.put("onPresenceBusy", p.busy());
        if (withPhones) {
            ObjectNode phone = o.putArray("phones").addObject();
            phone.put("_id", hexId("phone:" + e.number()));
            phone.put("type", "SIP");
            phone.put("model", e.userAgent());
            phone.put("identification", macOf(e.number()));
            phone.put("online", online);
            phone.put("dnd", e.chatStatus() == SimulatedExtension.CHAT_DND);
            phone.put("notes", "");
        }
        if (withState) {
            o.put("state", stateOf(e, online));
        }
        if (withCalls) {
            ArrayNode calls = o.putArray("calls");
            for (SimulatedCall c : e.calls()) {
                ObjectNode call = calls.addObject();
                call.put("_id", hexId("call:" + c.callId()));
                call.put("state", callStateOf(c.state()));
                call.put("direction", c.inbound() ? "IN" : "OUT");
                call.put("remote", c.remoteParty());
                if (c.viaQueue()) {
                    call.put("queue", c.queueName());
                }
            }
        }
        return o;
    }

    /** The employee presence state a 3CX-style profile stands for (see the class comment). */
    static String presenceOf(String profile) {
        return switch (profile) {
            case SimulatedExtension.AVAILABLE -> "WORK";
            case SimulatedExtension.AWAY, SimulatedExtension.CUSTOM_2 -> "BUSY";
            case SimulatedExtension.OUT_OF_OFFICE -> "OFF_WORK";
            case SimulatedExtension.CUSTOM_1 -> "HOLIDAY";
            default -> profile.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", "_");
        };
    }

    private static String stateOf(SimulatedExtension e, boolean online) {
        if (e.calls().isEmpty()) {
            return online ? "IDLE" : "UNAVAILABLE";
        }
        if (e.calls().stream().anyMatch(c -> SimulatedCall.CONNECTED.equalsIgnoreCase(c.state()))) {
            return "INUSE";
        }
        if (e.calls().stream().anyMatch(c -> SimulatedCall.RINGING.equalsIgnoreCase(c.state()))) {
            return "RINGING";
        }
        return "INUSE";
    }

    private static String callStateOf(String state) {
        if (SimulatedCall.CONNECTED.equalsIgnoreCase(state)) {
            return "UP";
        }
        if (SimulatedCall.RINGING.equalsIgnoreCase(state)) {
            return "RINGING";
        }
        if (SimulatedCall.DIALING.equalsIgnoreCase(state)) {
            return "DIALING";
        }
        return state.toUpperCase(Locale.ROOT);
    }

    private static Response error(int status, String code, String message) {
        return Response.of(status, JSON, write(MAPPER.createObjectNode().put("code", code).put("message", message)));
    }

    private static String hexId(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "")
                .substring(0, 24).toUpperCase(Locale.ROOT);
    }

    private static String macOf(String number) {
        String h = hexId("mac:" + number).substring(0, 12);
        return h.replaceAll("(..)(?!$)", "$1:");
    }

    private static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise simulated TelecomX data", e);
        }
    }
}
