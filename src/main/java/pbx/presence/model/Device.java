package pbx.presence.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * One registered (or known) device of an extension. {@code online} and {@code dnd} may be null
 * when the vendor does not say. {@code expiresAt} is informational and never compared.
 */
public record Device(String id, String userAgent, Boolean online, Boolean dnd, Instant expiresAt) {
    @JsonIgnore
    public boolean isOnline() {
        return Boolean.TRUE.equals(online);
    }

    @JsonIgnore
    public boolean isDnd() {
        return Boolean.TRUE.equals(dnd);
    }

    /** The device without its expiry time: what change detection compares. */
    @JsonIgnore
    public Device significant() {
        return expiresAt == null ? this : new Device(id, userAgent, online, dnd, null);
    }
}
