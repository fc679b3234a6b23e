package pbx.presence.connector.telecomx;

import pbx.presence.connector.PayloadException;
import pbx.presence.connector.PollException;
import pbx.presence.connector.http.Token;
import pbx.presence.connector.http.TokenCache;
import pbx.presence.connector.http.VendorHttp;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Fetches one TelecomX poll through the shared {@link VendorHttp} (timeouts, body limit, 401 →
 * one fresh login and retry, 429 → {@code Retry-After} waited once) with a {@link TelecomXLogin}
 * token kept in the shared {@link TokenCache}.
 *
 * <ul>
 *   <li>{@link TelecomXMode#EMPLOYEES}: {@code GET /pbx/app/employees?calls=true&standalone=true},
 *       one request for every employee and standalone extension.</li>
 *   <li>{@link TelecomXMode#EXTENSIONS}: {@code GET /pbx/extension?offset=O&limit=L&includePhones=true&sort=number}
 *       from offset 0, advancing by the number of extensions received, until a page is empty,
 *       the envelope's {@code total} is reached, or (without a total) a page is shorter than the
 *       limit. {@code sort=number} keeps the order stable between pages (the default sort, by name,
 *       has ties). A page that repeats the previous one (a server ignoring {@code offset}) and more
 *       than {@code maxPages} pages (a server that never ends) fail the poll.</li>
 * </ul>
 * Keeps no state between polls except the cached token; {@link #fetch()} may be called again after
 * any failure. Neither the password nor the token appears in messages or {@link #toString()}.
 */
public final class TelecomXFetcher implements AutoCloseable {

    public static final int MAX_PAGE_SIZE = 1000;
    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final int DEFAULT_MAX_PAGES = 1000;
    public static final String EXTENSIONS_PATH = "/pbx/extension";

    /**
     * What a source configures besides address and credentials.
     *
     * @param pageSize {@code limit} per page in extensions mode, 1..1000
     * @param maxPages pages after which an extensions-mode poll gives up
     * @param tokenHeader header that carries the token (ASSUMED {@code Authorization}; blank for that default)
     * @param tokenScheme text before the token (ASSUMED {@code Bearer}; blank for that default); {@code none} for the bare token
     */
    public record Options(TelecomXMode mode, int pageSize, int maxPages, String tokenHeader, String tokenScheme) {
        public Options {
            Objects.requireNonNull(mode, "mode");
            if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("TelecomX pageSize must be 1.." + MAX_PAGE_SIZE + ", was " + pageSize);
            }
            if (maxPages < 1) {
                throw new IllegalArgumentException("TelecomX maxPages must be at least 1, was " + maxPages);
            }
            tokenHeader = tokenHeader == null || tokenHeader.isBlank() ? "Authorization" : tokenHeader.strip();
            // blank means the default, as for an empty kamelet parameter; "none" asks for the bare token
            tokenScheme = tokenScheme == null || tokenScheme.isBlank() ? "Bearer"
                    : tokenScheme.strip().equalsIgnoreCase("none") ? "" : tokenScheme.strip();
        }

        public static Options defaults(TelecomXMode mode) {
            return new Options(mode, DEFAULT_PAGE_SIZE, DEFAULT_MAX_PAGES, "Authorization", "Bearer");
        }

        public Options withPageSize(int size) {
            return new Options(mode, size, maxPages, tokenHeader, tokenScheme);
        }

        public Options withMaxPages(int pages) {
            return new Options(mode, pageSize, pages, tokenHeader, tokenScheme);
        }
    }

    private final String hostPort;
    private final Options options;
    private final VendorHttp http;
    private final TelecomXLogin login;

    public TelecomXFetcher(String baseUrl, String username, String password, Options options,
                           VendorHttp.Settings settings, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        TokenCache tokens = new TokenCache(this::login, clock);
        this.http = new VendorHttp(baseUrl, settings, tokens, clock);
        URI base = http.resolve("/");
        this.hostPort = base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
        try {
            this.login = new TelecomXLogin(http, username, password, options.tokenHeader(), options.tokenScheme());
        } catch (IllegalArgumentException e) {
            http.close();
            throw e;
        }
    }

    public Options options() {
        return options;
    }

    /**
     * Runs one poll.
     *
     * @throws PollException when a request fails (HTTP error with the vendor's message, timeout,
     *         refused login, a second 401 after a fresh login) or paging does not end
     * @throws PayloadException when an extensions page is not JSON or not a list
     */
    public TelecomXPayload fetch() {
        return switch (options.mode()) {
            case EMPLOYEES -> TelecomXPayload.employees(body(http.get(TelecomXEmployeesShape.PATH)));
            case EXTENSIONS -> TelecomXPayload.extensionPages(pages());
        };
    }

    private List<byte[]> pages() {
        int limit = options.pageSize();
        List<byte[]> pages = new ArrayList<>();
        long offset = 0;
        long previousOffset = -1;
        String previousFirstId = null;
        byte[] previousBody = null;
        while (true) {
            String path = EXTENSIONS_PATH + "?offset=" + offset + "&limit=" + limit + "&includePhones=true&sort=number";
            if (pages.size() >= options.maxPages()) {
                throw new PollException("GET " + path + ": still more extensions after " + options.maxPages() + " pages of "
                        + limit + "; giving up so a server that never ends cannot hold the poll (raise maxPages if the PBX "
                        + "really has more than " + (long) options.maxPages() * limit + " extensions)");
            }
            byte[] body = body(http.get(path));
            TelecomXExtensionPage page = TelecomXExtensionPage.parse(body, "GET " + path);
            if (page.size() == 0) {
                pages.add(body);
                return pages;
            }
            String firstId = page.firstId();
            boolean repeated = previousBody != null
                    && (firstId != null ? firstId.equals(previousFirstId) : Arrays.equals(body, previousBody));
            if (repeated) {
                throw new PollException("GET " + path + ": the page repeats the page at offset " + previousOffset
                        + (firstId == null ? "" : " (first extension " + firstId + ")") + "; the server seems to ignore offset");
            }
            pages.add(body);
            previousOffset = offset;
            previousFirstId = firstId;
            previousBody = body;
            offset += page.size();
            boolean last = page.total() != null ? offset >= page.total() : page.size() < limit;
            if (last) {
                return pages;
            }
        }
    }

    /** 204 No Content and an empty 200 mean an empty list. */
    private static byte[] body(VendorHttp.Response r) {
        return r.status() == 204 || r.body().length == 0 ? "[]".getBytes() : r.body();
    }

    private Token login() {
        return login.get();
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "TelecomXFetcher[" + hostPort + ", " + options.mode().name().toLowerCase(Locale.ROOT)
                + (options.mode() == TelecomXMode.EXTENSIONS ? ", pages of " + options.pageSize() : "") + ", credentials redacted]";
    }
}
