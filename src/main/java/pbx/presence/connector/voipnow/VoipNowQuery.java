package pbx.presence.connector.voipnow;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One request for presence: {@code GET /uapi/extensions/{userId}/{extension}/presence} with paging
 * ({@code count}, {@code startIndex}) and, when partitioning, an extension filter
 * ({@code filterBy=extension&filterOp=…&filterValue=…}).
 *
 * @param extension   the path's extension: {@code @self} for all, or one number
 * @param startIndex  0 … the server's maximum
 * @param count       page size, null to leave the server's default (the single-extension request)
 * @param filterOp    null for no filter
 * @param filterValue the filter's value (an extension prefix)
 */
record VoipNowQuery(String userId, String extension, int startIndex, Integer count, String filterOp, String filterValue) {

    static VoipNowQuery page(String userId, String extension, int startIndex, int count, String filterOp, String prefix) {
        return new VoipNowQuery(userId, extension, startIndex, count, prefix == null ? null : filterOp, prefix);
    }

    /** The one extension {@code number}, through the documented single-extension path. */
    static VoipNowQuery single(String userId, String number) {
        return new VoipNowQuery(userId, number, 0, null, null, null);
    }

    String pathAndQuery() {
        StringBuilder b = new StringBuilder("/uapi/extensions/").append(segment(userId)).append('/')
                .append(segment(extension)).append("/presence");
        if (count == null) {
            return b.toString();
        }
        b.append("?count=").append(count).append("&startIndex=").append(startIndex);
        if (filterValue != null) {
            b.append("&filterBy=extension&filterOp=").append(param(filterOp)).append("&filterValue=").append(param(filterValue));
        }
        return b.toString();
    }

    /** Percent-encodes a path segment but keeps '@' and '*' readable ({@code @me}, {@code 0003*210}). */
    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }

    private static String param(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
