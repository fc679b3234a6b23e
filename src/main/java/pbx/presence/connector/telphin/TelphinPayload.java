package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one poll of a Telphin client fetched, parsed but not yet interpreted:
 * <ul>
 *   <li>{@code statuses}: the body of {@code GET client/{client_id}/extension/call_status/};</li>
 *   <li>{@code extensionPages}: the bodies of {@code GET client/{client_id}/extension/?type=phone&page=N}, in page order;</li>
 *   <li>{@code registrations}: extension id → the body of its registration request (ASSUMED path
 *       {@code extension/{id}/registration/}); an extension without an entry was not asked (blocked,
 *       or registration polling is off) and its registration stays UNKNOWN;</li>
 *   <li>{@code currentCalls}: the body of {@code GET client/{client_id}/current_calls/}, or null when
 *       call polling is off (the line state then stays UNKNOWN).</li>
 * </ul>
 * The trees are the fetcher's parse results, handed over as they are (never modified) so a poll
 * parses each body once.
 */
public record TelphinPayload(JsonNode statuses, List<JsonNode> extensionPages, Map<String, JsonNode> registrations,
                             JsonNode currentCalls) {

    public TelphinPayload {
        Objects.requireNonNull(statuses, "statuses");
        extensionPages = List.copyOf(extensionPages);
        registrations = registrations == null ? Map.of() : Map.copyOf(registrations);
    }

    /**
     * Parses raw bodies (fixtures, or a fetcher that kept bytes).
     *
     * @param currentCalls null when calls were not polled
     * @throws pbx.presence.connector.PayloadException naming the body that is empty, truncated or malformed
     */
    public static TelphinPayload fromBodies(byte[] statuses, List<byte[]> extensionPages,
                                            Map<String, byte[]> registrations, byte[] currentCalls) {
        JsonNode s = LenientJson.parse(statuses, "statuses");
        List<JsonNode> pages = new ArrayList<>(extensionPages.size());
        for (int i = 0; i < extensionPages.size(); i++) {
            pages.add(LenientJson.parse(extensionPages.get(i), "extension page " + (i + 1)));
        }
        Map<String, JsonNode> regs = new LinkedHashMap<>();
        if (registrations != null) {
            registrations.forEach((id, body) -> regs.put(id, LenientJson.parse(body, "registration of extension id " + id)));
        }
        JsonNode calls = currentCalls == null ? null : LenientJson.parse(currentCalls, "current calls");
        return new TelphinPayload(s, pages, regs, calls);
    }
}
