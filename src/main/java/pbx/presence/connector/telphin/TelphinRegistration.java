package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.Device;
import pbx.presence.model.Registration;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;
import pbx.presence.connector.Rfc3339;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one extension's registration body, {@code {extension_id, registered, registrations[{device,
 * expires, contact_address}]}} (VENDORS.md §5; the path is ASSUMED). An array of such objects is
 * merged.
 *
 * <ul>
 *   <li>{@code registered} true → REGISTERED; false → NOT_REGISTERED, or EXPIRED when every listed
 *       registration has expired; missing → REGISTERED when a listed registration is still valid,
 *       NOT_REGISTERED when the list is empty, UNKNOWN when there is no list either.</li>
 *   <li>each registration → a device: id = contact address (else the device), user agent = device,
 *       online unless its expiry has passed at {@code observedAt}.</li>
 *   <li>{@code expires}: ISO-8601 or {@code yyyy-MM-dd HH:mm:ss} (ASSUMED UTC), epoch seconds, or a
 *       SIP Expires value in seconds from now; anything else leaves the expiry unknown.</li>
 * </ul>
 */
final class TelphinRegistration {

    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]");
    /** Numbers above this are epoch seconds; below, seconds from now (a SIP Expires header). */
    private static final long EPOCH_THRESHOLD = 100_000_000L;

    /**
     * @param registered the raw {@code registered} value, for vendorStatus (null when absent)
     */
    record Result(Registration registration, List<Device> devices, Object registered) {
    }

    private TelphinRegistration() {
    }

    static Result read(JsonNode root, String what, Instant observedAt) {
        List<JsonNode> objects = new ArrayList<>();
        if (root.isObject()) {
            objects.add(root);
        } else if (root.isArray()) {
            for (JsonNode n : root) {
                if (!n.isObject()) {
                    throw new PayloadException(what + ": element is " + LenientJson.kind(n) + ", expected a registration object");
                }
                objects.add(n);
            }
        } else {
            throw new PayloadException(what + ": " + LenientJson.kind(root) + ", expected a registration object");
        }
        Boolean registered = null;
        Object rawRegistered = null;
        boolean listed = false;
        List<Device> devices = new ArrayList<>();
        for (JsonNode o : objects) {
            JsonNode flag = o.get("registered");
            if (LenientJson.present(flag)) {
                rawRegistered = LenientJson.raw(flag);
                Boolean b = LenientJson.bool(flag);
                if (b != null) {
                    registered = Boolean.TRUE.equals(registered) || b;
                }
            }
            JsonNode list = o.get("registrations");
            if (!LenientJson.present(list)) {
                continue;
            }
            if (!list.isArray()) {
                throw new PayloadException(what + ": registrations is " + LenientJson.kind(list) + ", expected an array");
            }
            listed = true;
            for (JsonNode r : list) {
                if (!r.isObject()) {
                    throw new PayloadException(what + ": a registration is " + LenientJson.kind(r) + ", expected an object");
                }
                devices.add(device(r, observedAt));
            }
        }
        boolean anyValid = devices.stream().anyMatch(Device::knownOnline);
        Registration registration;
        if (Boolean.TRUE.equals(registered)) {
            registration = Registration.REGISTERED;
        } else if (Boolean.FALSE.equals(registered)) {
            registration = !devices.isEmpty() && devices.stream().allMatch(d -> Boolean.FALSE.equals(d.online()))
                    ? Registration.EXPIRED : Registration.NOT_REGISTERED;
        } else if (anyValid) {
            registration = Registration.REGISTERED;
        } else if (listed) {
            registration = devices.isEmpty() ? Registration.NOT_REGISTERED : Registration.EXPIRED;
        } else {
            registration = Registration.UNKNOWN;
        }
        return new Result(registration, devices, rawRegistered);
    }

    private static Device device(JsonNode r, Instant observedAt) {
        String device = LenientJson.text(r.get("device"));
        String contact = LenientJson.text(r.get("contact_address"));
        Instant expires = expires(r.get("expires"), observedAt);
        boolean online = expires == null || expires.isAfter(observedAt);
        String id = contact != null && !contact.isEmpty() ? contact : device;
        return new Device(id, device, online, null, expires);
    }

    static Instant expires(JsonNode n, Instant observedAt) {
        if (!LenientJson.present(n)) {
            return null;
        }
        Long number = LenientJson.integer(n);
        if (number != null) {
            return number > EPOCH_THRESHOLD ? Instant.ofEpochSecond(number) : observedAt.plusSeconds(Math.max(0, number));
        }
        String t = LenientJson.text(n);
        if (t == null || t.isEmpty()) {
            return null;
        }
        Instant withOffset = Rfc3339.instant(t);
        if (withOffset != null) {
            return withOffset;
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notIso) {
            // fall through
        }
        try {
            return LocalDateTime.parse(t, SPACED).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
