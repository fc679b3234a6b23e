package pbx.presence.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import pbx.presence.model.Json;

/**
 * An RFC 9457 problem body. {@code type} is {@code about:blank}, so {@code title} is the HTTP
 * status phrase; {@code detail} says what was wrong with this request.
 */
public record Problem(int status, String title, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String detail) {
        return new Problem(status, title(status), detail);
    }

    /** The body, with {@code instance} the request path when known. */
    public String json(String instance) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("type", "about:blank");
        n.put("title", title);
        n.put("status", status);
        n.put("detail", detail);
        if (instance != null) {
            n.put("instance", instance);
        }
        return n.toString();
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 410 -> "Gone";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
