package pbx.presence.model;

import java.time.Instant;

/**
 * One registered (or known) device of an extension. {@code online} and {@code dnd} may be null
 * when the vendor does not say. {@code expiresAt} is informational and never compared.
 *
 * <p>The helpers below are deliberately not named like bean getters ({@code isOnline}): Jackson
 * would take such a method as the accessor of the {@code online} property, and an ignored helper
 * would hide the property from every event and from the stored state.
 */
public record Device(String id, String userAgent, Boolean online, Boolean dnd, Instant expiresAt) {

    /** True only when the vendor says the device is online. */
    public boolean knownOnline() {
        return Boolean.TRUE.equals(online);
    }

    /** True only when the vendor says the device is in do-not-disturb. */
    public boolean knownDnd() {
        return Boolean.TRUE.equals(dnd);
    }

    /** The device without its expiry time: what change detection compares. */
    public Device significant() {
        return expiresAt == null ? this : new Device(id, userAgent, online, dnd, null);
    }
}
