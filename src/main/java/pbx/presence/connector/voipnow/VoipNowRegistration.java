package pbx.presence.connector.voipnow;

import pbx.presence.model.Registration;

import java.util.Collection;

/**
 * A {@code registration[].registration} code (seed 001 / VENDORS.md §4) and how several devices'
 * codes aggregate into the extension's one {@link Registration}.
 */
enum VoipNowRegistration {
    REGISTERED(1, Registration.REGISTERED, Boolean.TRUE),
    /** 2: "no registration necessary" (e.g. a phone provisioned by IP); the rule counts it as reachable. */
    NOT_REQUIRED(2, Registration.NOT_REQUIRED, null),
    NOT_REGISTERED(-1, Registration.NOT_REGISTERED, Boolean.FALSE),
    EXPIRED(-2, Registration.EXPIRED, Boolean.FALSE),
    UNKNOWN(0, Registration.UNKNOWN, null);

    final int code;
    final Registration canonical;
    /** What a device with this code is: online, offline, or not known (null). */
    final Boolean deviceOnline;

    VoipNowRegistration(int code, Registration canonical, Boolean deviceOnline) {
        this.code = code;
        this.canonical = canonical;
        this.deviceOnline = deviceOnline;
    }

    /** The documented value for a code, or null for a code nobody documented. */
    static VoipNowRegistration of(int code) {
        for (VoipNowRegistration r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }

    /**
     * The extension's registration over all its devices: any registered device makes it REGISTERED,
     * else any "no registration necessary" device NOT_REQUIRED. An unknown device (code 0, or one
     * nobody documented) forbids concluding the extension is offline, so it gives UNKNOWN; only when
     * every device is known to be down is it EXPIRED (some registration lapsed) or NOT_REGISTERED.
     * No devices at all: UNKNOWN (the API did not say).
     */
    static Registration aggregate(Collection<VoipNowRegistration> devices) {
        if (devices.isEmpty()) {
            return Registration.UNKNOWN;
        }
        if (devices.contains(REGISTERED)) {
            return Registration.REGISTERED;
        }
        if (devices.contains(NOT_REQUIRED)) {
            return Registration.NOT_REQUIRED;
        }
        if (devices.contains(UNKNOWN)) {
            return Registration.UNKNOWN;
        }
        return devices.contains(EXPIRED) ? Registration.EXPIRED : Registration.NOT_REGISTERED;
    }
}
