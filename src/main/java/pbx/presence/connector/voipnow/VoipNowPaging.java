package pbx.presence.connector.voipnow;

/**
 * What one poll asks for and how it pages (VENDORS.md §4). Validated on construction so a bad
 * kamelet parameter fails the route at start, not every poll.
 *
 * @param userId            {@code @me} (the app's user), {@code @viewer}, or a user id
 * @param extension         {@code @self} (all the user's extensions) or one extension number
 * @param pageSize          {@code count} per request, 1 … {@value #MAX_COUNT}; the server's default would be 20
 * @param maxStartIndex     the largest {@code startIndex} the server accepts (seed 001: "Maximum possible
 *                          value is 5000"; its error text says "lower than 5000" — ASSUMED inclusive, configurable)
 * @param partitionByPrefix when the user has more extensions than paging can reach, poll them in
 *                          groups by extension prefix ({@code filterBy=extension}); false fails the poll instead
 * @param prefixFilterOp    the {@code filterOp} value meaning "starts with" (ASSUMED {@code startsWith},
 *                          the OpenSocial spelling the UnifiedAPI follows; the seed's prose says "starts with")
 * @param maxRequests       requests one poll may make before it gives up (a server that never ends)
 */
public record VoipNowPaging(String userId, String extension, int pageSize, int maxStartIndex,
                            boolean partitionByPrefix, String prefixFilterOp, int maxRequests) {

    /** The largest {@code count} the API accepts (seed 001). */
    public static final int MAX_COUNT = 5000;
    /** The largest {@code startIndex} the API accepts (seed 001, assumed inclusive). */
    public static final int MAX_START_INDEX = 5000;
    public static final int DEFAULT_PAGE_SIZE = 1000;
    public static final String DEFAULT_FILTER_OP = "startsWith";
    public static final int DEFAULT_MAX_REQUESTS = 1000;

    public VoipNowPaging {
        userId = blankTo(userId, "@me");
        extension = blankTo(extension, "@self");
        prefixFilterOp = blankTo(prefixFilterOp, DEFAULT_FILTER_OP);
        if (pageSize < 1 || pageSize > MAX_COUNT) {
            throw new IllegalArgumentException("VoipNow pageSize must be 1 to " + MAX_COUNT + " (the API's count limit), was " + pageSize);
        }
        if (maxStartIndex < 0) {
            throw new IllegalArgumentException("VoipNow maxStartIndex must be 0 or more, was " + maxStartIndex);
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("VoipNow maxRequests must be at least 1, was " + maxRequests);
        }
    }

    public static VoipNowPaging defaults() {
        return new VoipNowPaging("@me", "@self", DEFAULT_PAGE_SIZE, MAX_START_INDEX, true, DEFAULT_FILTER_OP, DEFAULT_MAX_REQUESTS);
    }

    public VoipNowPaging withPageSize(int v) {
        return new VoipNowPaging(userId, extension, v, maxStartIndex, partitionByPrefix, prefixFilterOp, maxRequests);
    }

    public VoipNowPaging withMaxStartIndex(int v) {
        return new VoipNowPaging(userId, extension, pageSize, v, partitionByPrefix, prefixFilterOp, maxRequests);
    }

    public VoipNowPaging withPartitionByPrefix(boolean v) {
        return new VoipNowPaging(userId, extension, pageSize, maxStartIndex, v, prefixFilterOp, maxRequests);
    }

    public VoipNowPaging withMaxRequests(int v) {
        return new VoipNowPaging(userId, extension, pageSize, maxStartIndex, partitionByPrefix, prefixFilterOp, v);
    }

    public VoipNowPaging withScope(String newUserId, String newExtension) {
        return new VoipNowPaging(newUserId, newExtension, pageSize, maxStartIndex, partitionByPrefix, prefixFilterOp, maxRequests);
    }

    /** The most entries plain paging can reach with {@code n} entries per page: pages start at 0, n, 2n … ≤ maxStartIndex. */
    int reach(int n) {
        return (int) Math.min(Integer.MAX_VALUE, ((long) maxStartIndex / n + 1) * n);
    }

    private static String blankTo(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v.strip();
    }
}
