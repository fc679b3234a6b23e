package pbx.presence.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for a Telphin-style cloud PBX API (VENDORS.md §5, seed 003) serving a {@link SimulatedPbx}.
 *
 * <ul>
 *   <li>{@code POST /oauth/token}, form {@code grant_type=client_credentials&client_id&client_secret}:
 *       {@code {access_token, token_type:"bearer", expires_in}} (lifetime {@link #setTokenLifetime},
 *       default 3600 s); wrong credentials 401 {@code {"error":"invalid_client",…}}.</li>
 *   <li>Every {@code /api/ver1.0/…} request needs {@code Authorization: Bearer <token>}; a missing,
 *       unknown, revoked or expired token answers 401 {@code {"message": …}}. Errors are {@code {message}}.</li>
 *   <li>{@code GET /api/ver1.0/client/{client_id}/extension/?type=phone&page=N&per_page=S}: a JSON array,
 *       1-based pages, {@code per_page} default {@link #setDefaultPageSize} (50), capped at
 *       {@link #setMaxPageSize} (500); {@code client_id} is {@code @me} or {@value #ACCOUNT_ID}.</li>
 *   <li>{@code GET /api/ver1.0/client/{client_id}/extension/call_status/}: the fixed {@link #STATUSES}.</li>
 *   <li>{@code GET /api/ver1.0/client/{client_id}/current_calls/}: one entry per call leg.</li>
 *   <li>{@code GET /api/ver1.0/extension/{id}/registration/}: {@code {extension_id, registered, registrations[]}}.</li>
 * </ul>
 *
 * <p>How a {@link SimulatedExtension} is served:
 * <ul>
 *   <li>number → {@code name} {@value #CLIENT_PREFIX}*number; name → {@code label}; a stable numeric
 *       {@code id} per number (from 1001); {@code type} phone;</li>
 *   <li>enabled → {@code status} active / blocked;</li>
 *   <li>the forwarding profile chooses {@code call_status_id} (Telphin has one status per extension):
 *       Available → 1, Away → 2, Out of office → 3, Custom 1 → 4 (Lunch), Custom 2 → 6 (Queue only),
 *       any other profile name → {@value #UNLISTED_STATUS_ID}, an id the status list does not hold (a
 *       status the client created after the list was read); chat status DND overrides with 5 (Do not disturb). UserStatus and the other
 *       chat statuses have no Telphin counterpart and are not served;</li>
 *   <li>registered / user agent → the registration body (one registration, device = user agent);</li>
 *   <li>calls → current calls: {@code call_flow} in (out while Dialing), {@code answer_time_gmt} set once Connected;</li>
 *   <li>logged-in queues are not served (Telphin's queue agent resources are not polled).</li>
 * </ul>
 * {@link #rateLimitNext(int, int)} answers the next K API requests with 429 and {@code Retry-After};
 * {@link #setIgnorePageParameter} makes the list misbehave;
 * {@link #revokeTokens()}, {@link #expireTokens()} and {@link #setRejectAllTokens} exercise
 * authentication; the {@link Failure} modes apply as in every simulator.
 */
public final class TelphinSimulator extends TokenApiSimulator {

    public static final String DISPLAY_NAME = "Demo Telphin simulator";
    public static final String API = "/api/ver1.0/";
    public static final String TOKEN_PATH = "/oauth/token";
    /** The numeric client id the simulator answers to, besides {@code @me}. */
    public static final String ACCOUNT_ID = "10001";
    public static final String CLIENT_PREFIX = "0003";
    /** The extension field that carries the current status id (the connector's ASSUMED default). */
    public static final String STATUS_FIELD = "call_status_id";

    /** One status of the simulated client. */
    public record Status(int id, String name, List<String> propertyList) {
    }

    public static final Status AVAILABLE = new Status(1, "Available", List.of("all"));
    public static final Status AWAY = new Status(2, "Away", List.of("li", "ri", "lo", "ro"));
    public static final Status OUT_OF_OFFICE = new Status(3, "Out of office", List.of("lo", "ro"));
    public static final Status LUNCH = new Status(4, "Lunch", List.of("li", "lo"));
    public static final Status DO_NOT_DISTURB = new Status(5, "Do not disturb", List.of("lo", "ro"));
    public static final Status QUEUE_ONLY = new Status(6, "Queue only", List.of("qli", "qri", "cq", "lo", "ro"));
    public static final List<Status> STATUSES = List.of(AVAILABLE, AWAY, OUT_OF_OFFICE, LUNCH, DO_NOT_DISTURB, QUEUE_ONLY);
    /** The status id served for a profile name with no Telphin counterpart; not in {@link #STATUSES}. */
    public static final int UNLISTED_STATUS_ID = 99;
    private static final Status UNLISTED = new Status(UNLISTED_STATUS_ID, null, List.of());

    private static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private final String clientId;
    private final String clientSecret;
    private final Instant started;
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final Map<Long, String> numbers = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1001);
    private volatile int defaultPageSize = 50;
    private volatile int maxPageSize = 500;
    private volatile boolean ignorePageParameter;

    public TelphinSimulator(SimulatedPbx pbx, String host, int port, String clientId, String clientSecret) {
        this(pbx, host, port, clientId, clientSecret, Clock.systemUTC());
    }

    public TelphinSimulator(SimulatedPbx pbx, String host, int port, String clientId, String clientSecret, Clock clock) {
        super(DISPLAY_NAME, "demo-telphin", pbx, host, port,
                new SimulatedTokens(Objects.requireNonNull(clock, "clock"), Duration.ofHours(1), SimulatedTokens.hex(24)));
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.started = Objects.requireNonNull(clock, "clock").instant();
    }

    @Override
    public TelphinSimulator start() {
        super.start();
        return this;
    }

    // ---- configuration -----------------------------------------------------------------------

    /** per_page when the request gives none. */
    public void setDefaultPageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be at least 1");
        }
        this.defaultPageSize = size;
    }

    /** The largest per_page honoured; larger requests get pages of this size. */
    public void setMaxPageSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be at least 1");
        }
        this.maxPageSize = size;
    }

    /**
     * While true, the extension list answers page 1 whatever {@code page} asks for, like a server
     * that does not page: a client must notice the repetition instead of looping.
     */
    public void setIgnorePageParameter(boolean ignore) {
        this.ignorePageParameter = ignore;
    }

    /** Token requests received so far (failed ones included). */
    public long tokenRequestCount() {
        return requestCount(TOKEN_PATH);
    }

    /** The Telphin id served for an extension number (assigned on first use, then stable). */
    public long extensionId(String number) {
        return ids.computeIfAbsent(number, n -> {
            long id = nextId.getAndIncrement();
            numbers.put(id, n);
            return id;
        });
    }

    /** The status an extension is served with. */
    public static Status statusOf(SimulatedExtension e) {
        if (e.chatStatus() == SimulatedExtension.CHAT_DND) {
            return DO_NOT_DISTURB;
        }
        return switch (e.profile()) {
            case SimulatedExtension.AWAY -> AWAY;
            case SimulatedExtension.OUT_OF_OFFICE -> OUT_OF_OFFICE;
            case SimulatedExtension.CUSTOM_1 -> LUNCH;
            case SimulatedExtension.CUSTOM_2 -> QUEUE_ONLY;
            case SimulatedExtension.AVAILABLE -> AVAILABLE;
            default -> UNLISTED;
        };
    }

    // ---- answers -------------------------------------------------------------------------------

    @Override
    protected Response respond(Request request) {
        String method = request.method();
        String path = request.path();
        String query = request.query();
        String m = method.toUpperCase(Locale.ROOT);
        if (path.equals(TOKEN_PATH)) {
            return m.equals("POST") ? token(request) : error(405, "Method not allowed");
        }
        if (!path.startsWith(API)) {
            return error(404, "Not found: " + path);
        }
        Response denied = authenticate(request);
        if (denied != null) {
            return denied;
        }
        if (rateLimitsThisRequest()) {
            return error(429, "Too many requests").withHeader("Retry-After", Integer.toString(retryAfterSeconds()));
        }
        if (!m.equals("GET") && !m.equals("HEAD")) {
            return error(405, "Method not allowed");
        }
        String[] p = path.substring(API.length()).split("/");
        if (p.length >= 3 && p[0].equals("client")) {
            if (!p[1].equals("@me") && !p[1].equals(ACCOUNT_ID)) {
                return error(404, "Client " + p[1] + " not found");
            }
            if (p.length == 3 && p[2].equals("extension")) {
                return extensions(SimulatorForms.parse(query));
            }
            if (p.length == 4 && p[2].equals("extension") && p[3].equals("call_status")) {
                return json(200, statusesJson());
            }
            if (p.length == 3 && p[2].equals("current_calls")) {
                return json(200, currentCallsJson());
            }
        }
        if (p.length == 3 && p[0].equals("extension") && p[2].equals("registration")) {
            return registration(p[1]);
        }
        return error(404, "Not found: " + path);
    }

    @Override
    protected Response garbage(String path) {
        return Response.of(200, JSON, "<html>oops");
    }

    @Override
    protected Response serverError(String path) {
        return error(500, "Internal server error");
    }

    private Response token(Request request) {
        Response refused = refusedClientCredentials(request, clientId, clientSecret, "Client authentication failed");
        if (refused != null) {
            return refused;
        }
        SimulatedTokens.Issued issued = tokens.issue();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("access_token", issued.token());
        o.put("token_type", "bearer");
        o.put("expires_in", issued.lifetime().toSeconds());
        o.put("scope", "all");
        return json(200, o);
    }

    /** Null when the request carries a valid token, else the 401 answer. */
    private Response authenticate(Request request) {
        SimulatedTokens.Verdict verdict = tokens.check(request.header("Authorization"));
        if (verdict != SimulatedTokens.Verdict.MISSING && tokens.rejectingAll()) {
            verdict = SimulatedTokens.Verdict.REJECTED; // Telphin refuses before looking the token up
        }
        return switch (verdict) {
            case VALID -> null;
            case MISSING -> error(401, "Authorization required: no bearer token");
            case REJECTED -> error(401, "Access token rejected");
            case UNKNOWN -> error(401, "Invalid access token");
            case EXPIRED -> error(401, "Access token expired");
        };
    }

    private Response extensions(Map<String, String> q) {
        Integer page = positive(q.get("page"), 1);
        Integer perPage = positive(q.get("per_page"), defaultPageSize);
        if (page == null || perPage == null) {
            return error(400, "page and per_page must be positive integers");
        }
        int size = Math.min(perPage, maxPageSize);
        String type = q.getOrDefault("type", "phone");
        List<SimulatedExtension> all = type.equals("phone") ? pbx.all() : List.of();
        ArrayNode array = MAPPER.createArrayNode();
        long from = ignorePageParameter ? 0 : (long) (page - 1) * size;
        for (long i = from; i < Math.min(all.size(), from + size); i++) {
            array.add(extensionJson(all.get((int) i)));
        }
        return json(200, array);
    }

    private ObjectNode extensionJson(SimulatedExtension e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", extensionId(e.number()));
        o.put("name", CLIENT_PREFIX + "*" + e.number());
        o.put("label", e.name());
        o.put("type", "phone");
        o.put("status", e.enabled() ? "active" : "blocked");
        o.put("client_id", Long.parseLong(ACCOUNT_ID));
        o.putNull("extension_group_id");
        o.put(STATUS_FIELD, statusOf(e).id());
        return o;
    }

    private static ArrayNode statusesJson() {
        ArrayNode array = MAPPER.createArrayNode();
        for (Status s : STATUSES) {
            ObjectNode o = array.addObject();
            o.put("id", s.id());
            o.put("name", s.name());
            ArrayNode props = o.putArray("property_list");
            s.propertyList().forEach(props::add);
        }
        return array;
    }

    private ArrayNode currentCallsJson() {
        ArrayNode array = MAPPER.createArrayNode();
        String startedAt = TIME.format(started);
        for (SimulatedExtension e : pbx.all()) {
            for (SimulatedCall c : e.calls()) {
                boolean in = c.inbound();
                ObjectNode o = array.addObject();
                o.put("call_api_id", c.callId() + "-" + extensionId(e.number()));
                o.put("extension_id", extensionId(e.number()));
                o.put("call_flow", in ? "in" : "out");
                o.put("caller_id_number", in ? c.remoteParty() : CLIENT_PREFIX + "*" + e.number());
                o.put("called_number", in ? CLIENT_PREFIX + "*" + e.number() : c.remoteParty());
                o.put("init_time_gmt", startedAt);
                if (SimulatedCall.CONNECTED.equalsIgnoreCase(c.state())) {
                    o.put("answer_time_gmt", startedAt);
                } else {
                    o.putNull("answer_time_gmt");
                }
                o.put("real_call", true);
            }
        }
        return array;
    }

    private Response registration(String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return error(404, "Extension " + idText + " not found");
        }
        Optional<SimulatedExtension> ext = Optional.ofNullable(numbers.get(id)).flatMap(pbx::get);
        if (ext.isEmpty()) {
            return error(404, "Extension " + idText + " not found");
        }
        SimulatedExtension e = ext.get();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("extension_id", id);
        o.put("registered", e.registered());
        ArrayNode regs = o.putArray("registrations");
        if (e.registered()) {
            ObjectNode r = regs.addObject();
            r.put("device", e.userAgent());
            // a fixed expiry, so a poll sees the same registration every time
            r.put("expires", TIME.format(started.plus(Duration.ofDays(1))));
            r.put("contact_address", "sip:" + CLIENT_PREFIX + "*" + e.number() + "@127.0.0.1:5060");
        }
        return json(200, o);
    }

    private static Integer positive(String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(value.strip());
            return v >= 1 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Response error(int status, String message) {
        return json(status, MAPPER.createObjectNode().put("message", message));
    }

    private static Response json(int status, Object node) {
        try {
            return Response.of(status, JSON, MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise simulator answer", e);
        }
    }
}
