package pbx.presence.connector.voipnow;

import pbx.presence.connector.PayloadException;
import pbx.presence.connector.PollException;
import pbx.presence.connector.http.Token;
import pbx.presence.connector.http.TokenCache;
import pbx.presence.connector.http.VendorHttp;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches one complete presence snapshot from a VoipNow UnifiedAPI (seed 001, VENDORS.md §4):
 * {@code GET /uapi/extensions/{userId}/{extension}/presence}, paged to completion by
 * {@link VoipNowPager} (which also explains the startIndex limit and how more than 10,000
 * extensions are still fetched whole, or the poll fails naming the limit).
 *
 * <p>Authentication: OAuth 2 client credentials at {@code POST /oauth/token.php} (form
 * {@code grant_type=client_credentials&client_id&client_secret}), the token cached by the shared
 * {@link TokenCache} until shortly before its {@code expires_in} (1 h when the server omits it);
 * a 401 drops it and retries once with a fresh one, a 429 is waited out once ({@link VendorHttp}).
 * The client secret appears in no message, log line or {@link #toString()}.
 *
 * <p>{@link #fetch()} throws {@link PollException} (HTTP error with VoipNow's own
 * {@code code: message}, timeout, paging that does not add up) or {@link PayloadException} (a page
 * that is not a presence collection); both name the request. Calls are serialised; the fetcher
 * stays usable after a failed poll. Camel-free.
 */
public final class VoipNowFetcher implements AutoCloseable {

    public static final String TOKEN_PATH = "/oauth/token.php";
    /** Token lifetime assumed when the token response has no {@code expires_in}. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(1);
    /** The longest {@code Retry-After} one poll waits out. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private final String baseUrl;
    private final VoipNowPaging paging;
    private final VendorHttp http;
    /** The last good poll's totalResults: how many pages the next poll asks for ahead ({@link VoipNowPager}). */
    private Integer lastTotal;

    public VoipNowFetcher(String baseUrl, String clientId, String clientSecret, VoipNowPaging paging,
                          VendorHttp.Settings settings, Clock clock) {
        this.paging = Objects.requireNonNull(paging, "paging");
        this.http = VendorHttp.withOAuth2(baseUrl, TOKEN_PATH, clientId, clientSecret, settings, DEFAULT_TOKEN_LIFETIME, clock);
        this.baseUrl = http.resolve("/").toString().replaceAll("/+$", "");
    }

    /**
     * One complete snapshot.
     *
     * @throws PollException    transport, HTTP or paging problem, naming the request
     * @throws PayloadException a page is not a presence collection
     */
    public synchronized VoipNowPayload fetch() {
        List<VoipNowPage> pages = VoipNowPager.fetchAll(paging, new VoipNowPager.PageSource() {
            @Override
            public VoipNowPage fetch(VoipNowQuery query) {
                return page(query);
            }

            @Override
            public CompletableFuture<VoipNowPage> fetchAhead(VoipNowQuery query) {
                return http.async(() -> page(query));
            }
        }, lastTotal);
        lastTotal = VoipNowPager.plainTotal(pages);
        return new VoipNowPayload(pages);
    }

    private VoipNowPage page(VoipNowQuery query) {
        String pathAndQuery = query.pathAndQuery();
        VendorHttp.Response r = http.get(pathAndQuery);
        String label = "GET " + pathAndQuery;
        return r.status() == 204 ? VoipNowPage.noContent(label) : VoipNowPage.parse(r.body(), label);
    }

    public VoipNowPaging paging() {
        return paging;
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "VoipNowFetcher[" + baseUrl + ", user " + paging.userId() + ", extension " + paging.extension()
                + ", count " + paging.pageSize() + ", client secret redacted]";
    }
}
