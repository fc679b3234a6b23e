package pbx.presence.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.util.List;

/**
 * A CloudEvents 1.0 event in structured JSON mode (DESIGN.md "Events"). {@code sequence} grows per
 * source+extension (per source for source events), and {@code id} is derived from it, so a
 * redelivered event carries the same id.
 */
@JsonPropertyOrder({"specversion", "id", "source", "type", "subject", "time", "datacontenttype", "sequence", "data"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PresenceEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        long sequence,
        Data data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE_PREFIX = "/pbx-presence/sources/";

    /**
     * Payload. For extension events: {@code before} (null when added), {@code after} (null when
     * removed) and {@code changed}, the significant fields that differ. For source events:
     * {@code sourceId}, {@code failures} and {@code error} (source.down only).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(ExtensionPresence before, ExtensionPresence after, List<String> changed,
                       String sourceId, Integer failures, String error) {
    }

    public static PresenceEvent extensionEvent(EventType type, String sourceId, String extension, long sequence,
                                               Instant time, ExtensionPresence before, ExtensionPresence after,
                                               List<String> changed) {
        return new PresenceEvent(SPEC_VERSION, sourceId + ":" + extension + ":" + sequence, SOURCE_PREFIX + sourceId,
                type.wire(), extension, time, "application/json", sequence,
                new Data(before, after, changed, null, null, null));
    }

    public static PresenceEvent sourceEvent(EventType type, String sourceId, long sequence, Instant time,
                                            int failures, String error) {
        return new PresenceEvent(SPEC_VERSION, sourceId + ":-source:" + sequence, SOURCE_PREFIX + sourceId,
                type.wire(), null, time, "application/json", sequence,
                new Data(null, null, null, sourceId, failures, error));
    }

    /** The configured source id (the last segment of {@code source}). */
    @JsonIgnore
    public String sourceId() {
        return source.substring(SOURCE_PREFIX.length());
    }

    /** The extension's state the event is about: after, or before for a removal. */
    @JsonIgnore
    public ExtensionPresence current() {
        return data.after() != null ? data.after() : data.before();
    }
}
