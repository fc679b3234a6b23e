package pbx.presence.connector.http;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.Json;

/**
 * Turns a vendor's error body into one short line: VoipNow {@code {"error":{"code","message"}}},
 * TelecomX {@code {code,message}}, Telphin {@code {message}}, or the first line of text/HTML.
 */
public final class ErrorBodies {

    private static final int MAX = 200;

    private ErrorBodies() {
    }

    public static String summary(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n != null && n.isObject()) {
                JsonNode err = n.has("error") ? n.get("error") : n;
                if (err.isTextual()) {
                    // OAuth 2 error bodies: {"error":"invalid_client","error_description":"…"}
                    text = err.asText() + (n.hasNonNull("error_description") ? ": " + n.get("error_description").asText() : "");
                } else {
                    String code = err.path("code").asText("");
                    String message = err.path("message").asText(err.path("error_description").asText(""));
                    if (!code.isEmpty() || !message.isEmpty()) {
                        text = (code.isEmpty() ? "" : code + ": ") + message;
                    }
                }
            }
        } catch (Exception notJson) {
            // plain text or HTML: keep its first line
        }
        text = text.lines().findFirst().orElse("").replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return text.length() > MAX ? text.substring(0, MAX) + "…" : text;
    }
}
