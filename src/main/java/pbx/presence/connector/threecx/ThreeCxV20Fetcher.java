package pbx.presence.connector.threecx;

import pbx.presence.connector.PayloadException;
import pbx.presence.connector.PollException;
import pbx.presence.connector.http.OAuth2ClientCredentials;
import pbx.presence.connector.http.TokenCache;
import pbx.presence.connector.http.VendorHttp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Fetches one poll of a 3CX v20 PBX (VENDORS.md §3) through the shared {@link VendorHttp}: every
 * page of {@code GET /xapi/v1/Users}, then one {@code GET /callcontrol}, as one
 * {@link ThreeCxV20Payload}.
 *
 * <p>Authentication: OAuth 2 client credentials at {@code POST /connect/token} (form
 * {@code client_id}, {@code client_secret}, {@code grant_type=client_credentials}) through
 * {@link OAuth2ClientCredentials}; the bearer token is cached by the shared {@link TokenCache} until
 * shortly before {@code expires_in} runs out, and a 401 drops it and retries once (VendorHttp).
 *
 * <p>Paging: {@code $top=pageSize&$skip=n&$orderby=Number&$count=true} plus {@code $select} of
 * exactly the fields the translator reads and {@code $expand} of the forwarding profiles' name and
 * AcceptMultipleCalls. After each page:
 * <ol>
 *   <li>an empty page ends the poll;</li>
 *   <li>an {@code @odata.nextLink} (server-driven paging) is followed, if it points at this PBX;</li>
 *   <li>once {@code @odata.count} users are seen the poll ends (no request for an empty page);</li>
 *   <li>a page shorter than {@code $top} ends the poll, unless {@code @odata.count} says users are
 *       still missing (a server that caps the page size below {@code $top}): then paging goes on;</li>
 *   <li>otherwise the next page starts at the number of users seen so far.</li>
 * </ol>
 * Guards: a page that starts with the same user as an earlier page (a server ignoring
 * {@code $skip}) and more than {@code maxUsers} users (a server that never ends) fail the poll with
 * a {@link PollException} saying so; since every page that lets paging continue holds at least one
 * user, {@code maxUsers} bounds the number of pages too.
 *
 * <p>Failures are {@link PollException}s naming the request, e.g.
 * {@code "GET /xapi/v1/Users?$top=100&$skip=200&…: HTTP 500: InternalServerError: …"}; a Users page
 * that cannot be read (it must be, to page on) is one too, with the {@link PayloadException} as
 * cause. The {@code /callcontrol} body is left to the translator. The client id, secret and token
 * never appear in messages or {@link #toString()}. {@link #fetch()} keeps no state between calls
 * beyond the token cache; the fetcher stays usable after a failed poll.
 */
public final class ThreeCxV20Fetcher implements AutoCloseable {

    public static final String TOKEN_PATH = "/connect/token";
    public static final String USERS_PATH = "/xapi/v1/Users";
    public static final String CALL_CONTROL_PATH = "/callcontrol";

    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 10_000;
    public static final int DEFAULT_MAX_USERS = 100_000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Used when the token answer has no {@code expires_in}; 3CX issues tokens for about 60 min. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(60);

    /** Exactly the user fields the translator reads: 12,000 full user objects would be megabytes more. */
    static final String SELECT = "Id,Number,FirstName,LastName,Enabled,CurrentProfileName,IsRegistered";
    static final String EXPAND = "ForwardingProfiles($select=Name,CustomName,AcceptMultipleCalls)";

    private static final byte[] EMPTY_PAGE = "{\"value\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EMPTY_CALL_CONTROL = "[]".getBytes(StandardCharsets.UTF_8);

    /**
     * @param pageSize {@code $top}, 1..{@value #MAX_PAGE_SIZE}
     * @param maxUsers a poll with more users than this fails (guards against a server that never ends)
     * @param http     timeouts, body limit, TLS verification of the shared client
     */
    public record Settings(int pageSize, int maxUsers, VendorHttp.Settings http) {
        public Settings {
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("3cx-v20 pageSize must be 1.." + MAX_PAGE_SIZE + ", was " + pageSize);
            }
            if (maxUsers < 1) {
                throw new IllegalArgumentException("3cx-v20 maxUsers must be at least 1, was " + maxUsers);
            }
            Objects.requireNonNull(http, "http");
        }

        public static Settings defaults() {
            VendorHttp.Settings d = VendorHttp.Settings.defaults();
            return new Settings(DEFAULT_PAGE_SIZE, DEFAULT_MAX_USERS, new VendorHttp.Settings(DEFAULT_TIMEOUT,
                    DEFAULT_TIMEOUT, d.maxBodyBytes(), d.maxRetryAfter(), true));
        }
    }

    private final URI base;
    private final String clientId;
    private final Settings settings;
    private final VendorHttp http;

    public ThreeCxV20Fetcher(String baseUrl, String clientId, String clientSecret, Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        VendorHttp client = VendorHttp.withOAuth2(baseUrl == null ? null : baseUrl.strip(), TOKEN_PATH, strip(clientId),
                strip(clientSecret), settings.http(), DEFAULT_TOKEN_LIFETIME, clock);
        this.http = client;
        this.base = client.resolve("/");
        this.clientId = strip(clientId);
    }

    /**
     * Runs one poll: token if needed, every Users page, then {@code /callcontrol}.
     *
     * @throws PollException when a request fails, a Users page cannot be read, or a paging guard trips
     */
    public ThreeCxV20Payload fetch() {
        List<byte[]> pages = new ArrayList<>();
        Map<String, Integer> firstNumbers = new HashMap<>();
        String request = usersQuery(0);
        int seen = 0;
        for (int n = 1; ; n++) {
            VendorHttp.Response r = http.get(request);
            byte[] body = r.status() == 204 ? EMPTY_PAGE : r.body();
            ThreeCxV20UsersPage page;
            try {
                page = ThreeCxV20UsersPage.read(body, n);
            } catch (PayloadException e) {
                throw new PollException("GET " + request + ": " + e.getMessage(), e);
            }
            pages.add(body);
            int size = page.users().size();
            if (size == 0) {
                break;
            }
            seen += size;
            if (seen > settings.maxUsers()) {
                throw new PollException("GET " + request + ": more than " + settings.maxUsers() + " users after " + n
                        + " pages; raise maxUsers if the PBX really has that many, else the server does not stop paging");
            }
            String first = ThreeCxV20UsersPage.numberOf(page.users().get(0));
            Integer earlier = first == null ? null : firstNumbers.putIfAbsent(first, n);
            if (earlier != null) {
                throw new PollException("GET " + request + ": page " + n + " starts with user " + first + " again, like page "
                        + earlier + ": the server repeats a page (does it ignore $skip?)");
            }
            if (page.nextLink() != null) {
                request = followable(page.nextLink(), request);
                continue;
            }
            if (page.count() != null && seen >= page.count()) {
                break; // the server's own total is reached: no need to ask for an empty page
            }
            if (size < settings.pageSize() && page.count() == null) {
                break; // a short page is the last, unless the total above says the server capped our $top
            }
            request = usersQuery(seen);
        }
        VendorHttp.Response cc = http.get(CALL_CONTROL_PATH);
        return new ThreeCxV20Payload(pages, cc.status() == 204 ? EMPTY_CALL_CONTROL : cc.body());
    }

    /** The Users request for a page starting at {@code skip}; {@code $top}/{@code $skip} first so messages show them. */
    String usersQuery(int skip) {
        return USERS_PATH + "?$top=" + settings.pageSize() + "&$skip=" + skip + "&$orderby=Number&$count=true&$select="
                + SELECT + "&$expand=" + EXPAND;
    }

    /**
     * An {@code @odata.nextLink} as a path relative to the base URL. It may be absolute or relative to
     * the current request, but must stay on this PBX: the bearer token goes with it.
     */
    private String followable(String nextLink, String current) {
        URI next;
        try {
            next = http.resolve(current).resolve(nextLink.replace(" ", "%20"));
        } catch (IllegalArgumentException e) {
            throw new PollException("GET " + current + ": @odata.nextLink is not a URL: " + e.getMessage());
        }
        String basePath = base.getRawPath().endsWith("/") ? base.getRawPath() : base.getRawPath() + "/";
        String nextPath = next.getRawPath() == null ? "" : next.getRawPath();
        boolean sameOrigin = Objects.equals(lower(next.getScheme()), lower(base.getScheme()))
                && Objects.equals(lower(next.getHost()), lower(base.getHost()))
                && port(next) == port(base);
        if (!sameOrigin || !nextPath.startsWith(basePath)) {
            throw new PollException("GET " + current + ": @odata.nextLink points outside the PBX ("
                    + next.getScheme() + "://" + next.getHost() + (next.getPort() < 0 ? "" : ":" + next.getPort())
                    + nextPath + "): not followed, the token must not leave " + base.getHost());
        }
        String relative = "/" + nextPath.substring(basePath.length());
        String followed = next.getRawQuery() == null ? relative : relative + "?" + next.getRawQuery();
        if (followed.equals(current)) {
            throw new PollException("GET " + current + ": @odata.nextLink points at the same page again");
        }
        return followed;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    public Settings settings() {
        return settings;
    }

    /** Stops the client's threads. */
    @Override
    public void close() {
        http.close();
    }

    /** The PBX and client id only: never the secret or a token. */
    @Override
    public String toString() {
        return "ThreeCxV20Fetcher[" + base + ", client " + clientId + ", secret redacted, pageSize "
                + settings.pageSize() + "]";
    }

    /** Environment variables read from files often end in a newline; credentials never do. */
    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

}
