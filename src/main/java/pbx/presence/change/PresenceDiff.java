package pbx.presence.change;

import pbx.presence.model.Device;
import pbx.presence.model.ExtensionPresence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Names the significant fields in which two observations of one extension differ. Not compared:
 * {@code observedAt}, device expiry times and the raw {@code vendorStatus}, so a re-registration or
 * a vendor's cosmetic field does not produce an event (DESIGN.md "Events").
 */
public final class PresenceDiff {

    private PresenceDiff() {
    }

    public static List<String> changedFields(ExtensionPresence a, ExtensionPresence b) {
        List<String> changed = new ArrayList<>(4);
        check(changed, "extensionId", a.extensionId(), b.extensionId());
        check(changed, "name", a.name(), b.name());
        check(changed, "enabled", a.enabled(), b.enabled());
        check(changed, "presence", a.presence(), b.presence());
        check(changed, "presenceLabel", a.presenceLabel(), b.presenceLabel());
        check(changed, "dnd", a.dnd(), b.dnd());
        check(changed, "chat", a.chat(), b.chat());
        check(changed, "line", a.line(), b.line());
        check(changed, "activeCalls", a.activeCalls(), b.activeCalls());
        check(changed, "callWaiting", a.callWaiting(), b.callWaiting());
        check(changed, "registration", a.registration(), b.registration());
        if (!sameDevices(a.devices(), b.devices())) {
            changed.add("devices");
        }
        check(changed, "agent", a.agent(), b.agent());
        check(changed, "queues", a.queues(), b.queues());
        check(changed, "allowedCalls", a.allowedCalls(), b.allowedCalls());
        check(changed, "presenceAcceptsCalls", a.presenceAcceptsCalls(), b.presenceAcceptsCalls());
        check(changed, "availability", a.availability(), b.availability());
        check(changed, "acceptsCalls", a.acceptsCalls(), b.acceptsCalls());
        check(changed, "reasons", a.reasons(), b.reasons());
        return changed;
    }

    /**
     * True when the devices differ only in facts the earlier observation did not know: its devices'
     * {@code online} or {@code dnd} were null (unknown) and are now known. State stored by the first
     * release never kept those two fields, so without this every extension with a device would be
     * announced as changed on the first poll after an upgrade. Such a difference is recorded
     * silently; a later change of a known value is an event as always.
     */
    public static boolean devicesOnlyLearned(ExtensionPresence a, ExtensionPresence b) {
        List<Device> x = a.devices();
        List<Device> y = b.devices();
        if (x.size() != y.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            Device was = x.get(i);
            Device now = y.get(i);
            Device learned = new Device(was.id(), was.userAgent(), was.online() == null ? now.online() : was.online(),
                    was.dnd() == null ? now.dnd() : was.dnd(), null);
            if (!learned.equals(now.significant())) {
                return false;
            }
        }
        return true;
    }

    private static void check(List<String> changed, String field, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            changed.add(field);
        }
    }

    private static boolean sameDevices(List<Device> a, List<Device> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).significant().equals(b.get(i).significant())) {
                return false;
            }
        }
        return true;
    }
}
