package pbx.presence.change;

import pbx.presence.model.CallClass;
import pbx.presence.model.Device;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Reason;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A 128-bit fingerprint of exactly the fields {@link PresenceDiff#changedFields} compares, so the
 * detector keeps 16 bytes per extension in memory instead of the whole record, and reads an
 * extension's full previous state from the store only when its fingerprint moved (issue 13 item 2).
 * Two records get the same fingerprint whenever {@code changedFields} finds no difference between
 * them; the fields are hashed straight from the accessors, no JSON.
 *
 * <p>Why a missed change is negligible: the fingerprint is the first 128 bits of SHA-256 over an
 * unambiguous encoding of the fields (every value fixed-width or length-prefixed, null distinct from
 * empty, sets as a bit mask). A change goes unseen only if the new state's fingerprint equals the old
 * one's: a 2<sup>-128</sup> chance per changed extension, so a million extensions changing every second
 * for a hundred years (about 2<sup>52</sup> comparisons) miss one with a chance of about
 * 2<sup>-76</sup>. Unlike a fast non-cryptographic hash (MurmurHash3 has collisions anyone can build,
 * whatever the seed), SHA-256 also holds against a PBX user who picks a display name on purpose:
 * building two colliding states takes about 2<sup>64</sup> hash computations. With the CPUs' SHA
 * instructions (a JDK intrinsic) it costs a fraction of a microsecond per extension.
 *
 * <p>Not thread-safe: one instance per poll.
 */
final class PresenceDigest {

    private final MessageDigest sha;
    private final byte[] out = new byte[32];
    private byte[] buf = new byte[256];
    private int len;
    private long hi;
    private long lo;

    PresenceDigest() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java platform must provide", e);
        }
    }

    /** Fingerprints {@code p}; read the result with {@link #hi()} and {@link #lo()}. Keep the field order of {@link PresenceDiff}. */
    PresenceDigest of(ExtensionPresence p) {
        len = 0;
        string(p.extensionId());
        string(p.name());
        bool(p.enabled());
        constant(p.presence());
        string(p.presenceLabel());
        bool(p.dnd());
        constant(p.chat());
        constant(p.line());
        integer(p.activeCalls());
        bool(p.callWaiting());
        constant(p.registration());
        devices(p.devices());
        constant(p.agent());
        strings(p.queues());
        callClasses(p.allowedCalls());
        bool(p.presenceAcceptsCalls());
        constant(p.availability());
        bool(p.acceptsCalls());
        reasons(p.reasons());
        sha.update(buf, 0, len);
        try {
            sha.digest(out, 0, out.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 did not fit 32 bytes", e);
        }
        hi = word(0);
        lo = word(8);
        return this;
    }

    long hi() {
        return hi;
    }

    long lo() {
        return lo;
    }

    /** The devices as {@link Device#significant()} compares them: without the expiry time. */
    private void devices(List<Device> devices) {
        integer(devices.size());
        for (Device d : devices) {
            string(d.id());
            string(d.userAgent());
            bool(d.online());
            bool(d.dnd());
        }
    }

    private void strings(List<String> values) {
        integer(values.size());
        for (String v : values) {
            string(v);
        }
    }

    private void reasons(List<Reason> reasons) {
        integer(reasons.size());
        for (Reason r : reasons) {
            constant(r);
        }
    }

    /** A set compares by its members, whatever its order: one bit per member, and null apart from empty. */
    private void callClasses(Set<CallClass> set) {
        if (set == null) {
            integer(-1);
            return;
        }
        int mask = 0;
        for (CallClass c : set) {
            mask |= 1 << c.ordinal(); // 8 constants: fits an int
        }
        integer(mask);
    }

    private void string(String s) {
        if (s == null) {
            integer(-1);
            return;
        }
        int n = s.length();
        integer(n);
        room(2 * n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            buf[len++] = (byte) (c >>> 8);
            buf[len++] = (byte) c;
        }
    }

    /** The constant's position: stable within this process, which is all an in-memory fingerprint needs. */
    private void constant(Enum<?> e) {
        integer(e == null ? -1 : e.ordinal());
    }

    private void bool(Boolean b) {
        room(1);
        buf[len++] = (byte) (b == null ? 2 : b ? 1 : 0);
    }

    private void integer(int v) {
        room(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    private long word(int at) {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            v = v << 8 | (out[i] & 0xFF);
        }
        return v;
    }
}
