package pbx.presence.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Stands in for a VoipNow UnifiedAPI server (seed 001, VENDORS.md §4), serving a {@link SimulatedPbx}.
 *
 * <ul>
 *   <li>{@code POST /oauth/token.php}, form {@code grant_type=client_credentials&client_id&client_secret}:
 *       {@code {"access_token","token_type":"Bearer","expires_in"}}; wrong credentials 401
 *       {@code {"error":"invalid_client",…}}, another grant type 400 {@code unsupported_grant_type}.</li>
 *   <li>{@code GET /uapi/extensions/{userId}/{extension}/presence[/]} with {@code Authorization: Bearer …}:
 *       {@code userId} {@code @me}, {@code @viewer} or {@link #userId()}; {@code extension} {@code @self}
 *       or one served number. Paging {@code count} (default {@link #setDefaultPageSize 20}, at most 5000)
 *       and {@code startIndex} (at most {@link #setMaxStartIndex 5000}), {@code filterBy=extension} with
 *       {@code filterOp} contains (default) / equals / startsWith (also "starts with") / present and
 *       {@code filterValue}, {@code sortOrder} ascending/descending, {@code fields}. Answers
 *       {@code {startIndex, totalResults, itemsPerPage, filtered, sorted, entry[]}}, or 204 with no body
 *       when nothing matches. Bad parameters: 400 with the seed's codes ({@code count_invalid},
 *       {@code startindex_invalid}, {@code filterby_invalid}, {@code filterop_invalid},
 *       {@code filtervalue_invalid}, {@code sortorder_invalid}, {@code fields_invalid},
 *       {@code extension_invalid}) in VoipNow's body {@code {"error":{"code","message"}}}.</li>
 *   <li>A missing, unknown, expired or {@link #rejectAllTokens rejected} token: 401
 *       {@code {"error":{"code":"invalid_token"|"invalid_request","message":…}}}. {@link #rateLimitNext}
 *       answers the next API requests 429 with {@code Retry-After}. Failure injection
 *       ({@link Failure}) as every simulator; {@code setFailure("/uapi/", …)} spares the token endpoint.</li>
 * </ul>
 *
 * <p>How a {@link SimulatedExtension} shows (the presence API has no name, profile, user status, chat
 * status or queue login, so those are not visible through it, as on a real VoipNow):
 * <ul>
 *   <li>{@code extension}: {@link #setExtensionPrefix prefix} + number, e.g. {@code 0003*201} with prefix {@code 0003*}</li>
 *   <li>{@code status}: 3 (busy) when a call is connected, dialing or in any other state, else 2 (ringing)
 *       when a call rings, else 1 (online/idle) when enabled and registered, else 0 (unknown);
 *       {@link #setStatusCode} serves another code, e.g. one the seed does not document</li>
 *   <li>{@code registration}: one element {@code {registration, expire, agent}}: registration 1 with an expiry
 *       in the future when enabled and registered; -1 (not registered) with an expiry in the past when not
 *       registered or disabled (a disabled extension cannot register). {@code registration[].status}, whose
 *       meaning the seed does not give, is not sent.</li>
 * </ul>
 * Numbers are written as the seed's example does ({@link NumberStyle#SEED}: {@code "status":1} a number,
 * {@code "registration":"1"} a string), or all as numbers, or all as strings.
 */
public final class VoipNowSimulator extends TokenApiSimulator {

    public static final String DISPLAY_NAME = "Demo VoipNow simulator";
    public static final String TOKEN_PATH = "/oauth/token.php";
    public static final String API_PREFIX = "/uapi/extensions/";
    /** The path a source polls by default: every extension of the app's user. */
    public static final String PRESENCE_PATH = API_PREFIX + "@me/@self/presence";
    public static final int MAX_COUNT = 5000;

    /** How numbers are written. */
    public enum NumberStyle {
        /** As seed 001's example: header numbers and {@code status} as numbers, {@code registration} as a string. */
        SEED,
        /** Every number as a JSON number. */
        NUMBERS,
        /** Every number as a string, header fields included. */
        STRINGS
    }

    private static final String JSON = "application/json; charset=utf-8";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("extension", "status", "registration");

    private final String clientId;
    private final String clientSecret;
    private final Map<String, Integer> statusCodes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int defaultPageSize = 20;
    private volatile int maxStartIndex = 5000;
    private volatile int maxItemsPerPage = MAX_COUNT;
    private volatile String extensionPrefix = "";
    private volatile NumberStyle numberStyle = NumberStyle.SEED;
    private volatile String userId = "1";
    private volatile Clock clock = Clock.systemUTC();

    /**
     * @param clientId     the OAuth client id the app must present
     * @param clientSecret its secret
     */
    public VoipNowSimulator(SimulatedPbx pbx, String host, int port, String clientId, String clientSecret) {
        super(DISPLAY_NAME, "demo-voipnow", pbx, host, port,
                new SimulatedTokens(Clock.systemUTC(), Duration.ofHours(1), SimulatedTokens.hex(20)));
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
    }

    @Override
    public VoipNowSimulator start() {
        super.start();
        return this;
    }

    // ---- settings and controls ---------------------------------------------------------------

    /** {@code count} when the request has none; default 20, as VoipNow's. */
    public void setDefaultPageSize(int n) {
        if (n < 1 || n > MAX_COUNT) {
            throw new IllegalArgumentException("default page size must be 1 to " + MAX_COUNT);
        }
        this.defaultPageSize = n;
    }

    /** The largest {@code startIndex} accepted; default 5000 (seed 001). */
    public void setMaxStartIndex(int n) {
        this.maxStartIndex = n;
    }

    /** Serve at most this many entries per page whatever {@code count} asks (a server-side cap); default 5000. */
    public void setMaxItemsPerPage(int n) {
        this.maxItemsPerPage = n;
    }

    /** Prefix of served extension numbers, e.g. {@code 0003*} for VoipNow extended numbers; default none. */
    public void setExtensionPrefix(String prefix) {
        this.extensionPrefix = prefix == null ? "" : prefix;
    }

    public void setNumberStyle(NumberStyle style) {
        this.numberStyle = Objects.requireNonNull(style, "style");
    }

    /** The id of the app's user, accepted in the path besides {@code @me} and {@code @viewer}; default {@code 1}. */
    public void setUserId(String id) {
        this.userId = Objects.requireNonNull(id, "id");
    }

    public String userId() {
        return userId;
    }

    /** For token expiry; default the system clock. */
    public void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        tokens.setClock(clock);
    }

    /** Token requests received, refused ones included. */
    public long tokenRequests() {
        return requestCount(TOKEN_PATH);
    }

    /** Presence requests received (any user, extension or page), failed ones included. */
    public long presenceRequests() {
        return requestCountWithPrefix(API_PREFIX);
    }

    /** {@code baseUrl() + PRESENCE_PATH}. */
    public String presenceUrl() {
        return baseUrl() + PRESENCE_PATH;
    }

    // ---- answers -----------------------------------------------------------------------------

    @Override
    protected Response respond(Request request) {
        String path = request.path();
        if (path.equals(TOKEN_PATH)) {
            return token(request);
        }
        if (path.startsWith(API_PREFIX)) {
            return presence(request);
        }
        return error(404, "not_found", "no such resource: " + path);
    }

    @Override
    protected Response garbage(String path) {
        return Response.of(200, JSON, "<html>oops");
    }

    @Override
    protected Response serverError(String path) {
        return error(500, "internal_error", "simulated internal server error");
    }

    private Response token(Request request) {
        if (!request.method().equalsIgnoreCase("POST")) {
            return SimulatedTokens.oauthError(405, "invalid_request", "use POST");
        }
        Response refused = refusedClientCredentials(request, clientId, clientSecret, "client authentication failed");
        if (refused != null) {
            return refused;
        }
        SimulatedTokens.Issued issued = tokens.issue();
        ObjectNode o = MAPPER.createObjectNode()
                .put("access_token", issued.token())
                .put("token_type", "Bearer")
                .put("expires_in", issued.lifetime().toSeconds());
        return Response.of(200, JSON, write(o));
    }

    private Response presence(Request request) {
        String path = request.path();
        String query = request.query();
        if (!request.method().equalsIgnoreCase("GET") && !request.method().equalsIgnoreCase("HEAD")) {
            return error(405, "method_not_allowed", "use GET");
        }
        if (rateLimitsThisRequest()) {
            int seconds = retryAfterSeconds();
            return error(429, "too_many_requests", "rate limit reached, retry after " + seconds + " s")
                    .withHeader("Retry-After", String.valueOf(seconds));
        }
        Response denied = authenticate(request.header("Authorization"));
        if (denied != null) {
            return denied;
        }
        String[] parts = path.substring(API_PREFIX.length()).split("/");
        if (parts.length != 3 || !parts[2].equals("presence")) {
            return error(404, "not_found", "no such resource: " + path);
        }
        String user = parts[0];
        if (!user.equals("@me") && !user.equals("@viewer") && !user.equals(userId)) {
            return error(404, "not_found", "no such user: " + user);
        }
        Map<String, String> q = SimulatorForms.parse(query);
        String prefix = extensionPrefix;
        List<SimulatedExtension> selected;
        if (parts[1].equals("@self")) {
            selected = null; // every extension: read a page at a time below, unless filtered or sorted
        } else {
            selected = pbx.all().stream().filter(e -> (prefix + e.number()).equals(parts[1])).toList();
            if (selected.isEmpty()) {
                return error(400, "extension_invalid", "Value supplied in the URI-Fragment as extension is invalid. The parameter"
                        + " must reference the number of an existing Phone Terminal extension or can be set to @self.");
            }
        }

        Set<String> fields = new LinkedHashSet<>(FIELDS);
        if (q.containsKey("fields")) {
            fields.clear();
            for (String f : q.get("fields").split(",")) {
                if (!FIELDS.contains(f.strip())) {
                    return error(400, "fields_invalid", "Value supplied in fields parameter is missing or invalid.");
                }
                fields.add(f.strip());
            }
        }
        Integer count = integer(q.get("count"), defaultPageSize);
        if (count == null || count < 0 || count > MAX_COUNT) {
            return error(400, "count_invalid", "Value supplied in count parameter is missing or invalid. The parameter must be"
                    + " set to a numeric value lower than " + MAX_COUNT + ".");
        }
        Integer start = integer(q.get("startIndex"), 0);
        if (start == null || start < 0 || start > maxStartIndex) {
            return error(400, "startindex_invalid", "Value supplied in startIndex parameter is missing or invalid. The parameter"
                    + " must be set to a numeric value, higher or equal with 0 and lower than " + maxStartIndex + ".");
        }
        boolean filtered = q.containsKey("filterBy");
        if (selected == null && (filtered || q.containsKey("sortOrder"))) {
            selected = pbx.all();
        }
        if (filtered) {
            if (!q.get("filterBy").equals("extension")) {
                return error(400, "filterby_invalid", "Value supplied in filterBy parameter is missing or invalid.");
            }
            String op = q.getOrDefault("filterOp", "contains").toLowerCase(Locale.ROOT).replace(" ", "");
            String value = q.get("filterValue");
            if (!Set.of("contains", "equals", "startswith", "present").contains(op)) {
                return error(400, "filterop_invalid", "Value supplied in filterOp parameter is missing or invalid. The parameter"
                        + " must be set to one of the values: contains, equals, starts with or present.");
            }
            if (!op.equals("present") && (value == null || value.isEmpty())) {
                return error(400, "filtervalue_invalid", "Value supplied in filterValue parameter is missing or invalid.");
            }
            Predicate<String> match = switch (op) {
                case "equals" -> n -> n.equals(value);
                case "startswith" -> n -> n.startsWith(value);
                case "present" -> n -> true;
                default -> n -> n.contains(value);
            };
            selected = selected.stream().filter(e -> match.test(prefix + e.number())).toList();
        }
        String sortOrder = q.get("sortOrder");
        if (sortOrder != null) {
            if (!sortOrder.equals("ascending") && !sortOrder.equals("descending")) {
                return error(400, "sortorder_invalid", "Value supplied in sortOrder parameter is missing or invalid.");
            }
            if (sortOrder.equals("descending")) {
                selected = new ArrayList<>(selected);
                java.util.Collections.reverse(selected);
            }
        }
        int total = selected == null ? pbx.size() : selected.size();
        if (total == 0) {
            return new Response(204, JSON, new byte[0]);
        }
        int served = Math.min(count, maxItemsPerPage);
        List<SimulatedExtension> page = selected == null ? pbx.page(start, served) : start >= selected.size() ? List.of()
                : selected.subList(start, Math.min(selected.size(), start + served));
        NumberStyle style = numberStyle;
        ObjectNode o = MAPPER.createObjectNode();
        header(o, "startIndex", start, style);
        header(o, "totalResults", total, style);
        header(o, "itemsPerPage", served, style);
        o.put("filtered", filtered);
        o.put("sorted", sortOrder != null);
        ArrayNode entries = o.putArray("entry");
        Instant now = clock.instant().truncatedTo(ChronoUnit.HOURS);
        for (SimulatedExtension e : page) {
            entries.add(entry(e, fields, style, now));
        }
        return Response.of(200, JSON, write(o));
    }

    /** One presence entry; see the class comment for the mapping. */
    private ObjectNode entry(SimulatedExtension e, Set<String> fields, NumberStyle style, Instant now) {
        ObjectNode o = MAPPER.createObjectNode();
        if (fields.contains("extension")) {
            o.put("extension", extensionPrefix + e.number());
        }
        if (fields.contains("status")) {
            number(o, "status", statusCodes.getOrDefault(e.number(), status(e)), style != NumberStyle.STRINGS);
        }
        if (fields.contains("registration")) {
            boolean registered = e.enabled() && e.registered();
            ObjectNode r = o.putArray("registration").addObject();
            if (!e.userAgent().isBlank()) {
                r.put("agent", e.userAgent());
            }
            number(r, "registration", registered ? 1 : -1, style == NumberStyle.NUMBERS);
            r.put("expire", (registered ? now.plus(Duration.ofHours(2)) : now.minus(Duration.ofDays(1))).toString());
        }
        return o;
    }

    /** Serves {@code code} as the extension's {@code status} from now on; null goes back to the derived one. */
    public void setStatusCode(String number, Integer code) {
        if (code == null) {
            statusCodes.remove(number);
        } else {
            statusCodes.put(number, code);
        }
    }

    static int status(SimulatedExtension e) {
        boolean ringing = false;
        for (SimulatedCall c : e.calls()) {
            if (SimulatedCall.RINGING.equalsIgnoreCase(c.state())) {
                ringing = true;
            } else {
                return 3;
            }
        }
        if (ringing) {
            return 2;
        }
        return e.enabled() && e.registered() ? 1 : 0;
    }

    private Response authenticate(String auth) {
        return switch (tokens.check(auth)) {
            case VALID -> null;
            case MISSING -> error(401, "invalid_request", "The request has no Bearer access token.");
            case UNKNOWN -> error(401, "invalid_token", "The access token provided is invalid.");
            case EXPIRED -> error(401, "invalid_token", "The access token provided has expired.");
            case REJECTED -> error(401, "invalid_token", "The access token provided is not allowed to read presence.");
        };
    }

    private static void header(ObjectNode o, String field, int value, NumberStyle style) {
        number(o, field, value, style != NumberStyle.STRINGS);
    }

    private static void number(ObjectNode o, String field, int value, boolean asNumber) {
        if (asNumber) {
            o.put(field, value);
        } else {
            o.put(field, String.valueOf(value));
        }
    }

    private static Integer integer(String s, int dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Response error(int status, String code, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.putObject("error").put("code", code).put("message", message);
        return Response.of(status, JSON, write(o));
    }

    private static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise simulated presence", e);
        }
    }
}
