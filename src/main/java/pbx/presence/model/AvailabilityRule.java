package pbx.presence.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The one derivation of {@code availability}, {@code acceptsCalls} and {@code reasons}, the same for
 * every vendor (DESIGN.md "Canonical model"). First match wins for availability:
 * <ol>
 *   <li>disabled, or no device registered/online: OFFLINE</li>
 *   <li>DND from any side (device, flag, chat status, presence DND/INVISIBLE, a status without
 *       inbound call classes): DND</li>
 *   <li>ringing, dialing, talking, on hold, busy, active calls, or a chosen presence of BUSY: BUSY</li>
 *   <li>a presence other than AVAILABLE/UNKNOWN, a chat status of away/invisible/offline, or a vendor
 *       value the connector does not recognise ({@link ExtensionPresence#unrecognised()}): AWAY,
 *       unless the vendor's own presence policy says calls are still accepted in that presence</li>
 *   <li>otherwise AVAILABLE, or UNKNOWN when no input says anything</li>
 * </ol>
 * {@code reasons} lists every finding that stands against availability, in rule order, so the first
 * reason explains the availability and the rest are still visible (seed 000: "out of office" and
 * "chat offline" at once). It is empty exactly when availability is AVAILABLE. Unrecognised values
 * add one reason, {@link Reason#UNRECOGNISED_VENDOR_VALUE}, however many there are.
 *
 * <p>{@code acceptsCalls} means: an inbound call from <em>outside</em> the PBX would ring a device
 * now. It needs the extension enabled and registered, no DND, no presence policy refusing calls, a
 * status that lets external inbound calls through ({@link CallClass#externalInbound()}; a status for
 * internal callers only does not), a free line (or call waiting), and no unrecognised value in a
 * dimension that decides whether calls ring ({@link Dimension#decidesWhetherCallsRing()}: a line or
 * status code, a call policy). {@code allowedCalls} keeps which classes of call get through.
 */
public final class AvailabilityRule {

    /** The derived part of an {@link ExtensionPresence}. */
    public record Verdict(Availability availability, boolean acceptsCalls, List<Reason> reasons) {
    }

    private AvailabilityRule() {
    }

    public static Verdict derive(ExtensionPresence p) {
        List<Reason> offline = new ArrayList<>(2);
        List<Reason> dnd = new ArrayList<>(3);
        List<Reason> busy = new ArrayList<>(2);
        List<Reason> away = new ArrayList<>(2);

        boolean anyDeviceOnline = p.devices().stream().anyMatch(Device::knownOnline);
        boolean registered = p.registration() == Registration.REGISTERED
                || p.registration() == Registration.NOT_REQUIRED || anyDeviceOnline;
        boolean allDevicesOffline = !p.devices().isEmpty()
                && p.devices().stream().allMatch(d -> Boolean.FALSE.equals(d.online()));
        boolean unregistered = !registered && (p.registration() == Registration.NOT_REGISTERED
                || p.registration() == Registration.EXPIRED
                || (p.registration() == Registration.UNKNOWN
                        && (allDevicesOffline || p.line() == LineState.UNAVAILABLE)));
        if (!p.enabled()) {
            offline.add(Reason.DISABLED);
        }
        if (unregistered) {
            offline.add(Reason.NOT_REGISTERED);
        }

        // a DND flag left on a device that is known to be offline blocks nothing
        if (Boolean.TRUE.equals(p.dnd())
                || p.devices().stream().anyMatch(d -> d.knownDnd() && !Boolean.FALSE.equals(d.online()))) {
            dnd.add(Reason.DND);
        }
        if (p.chat() == ChatStatus.DND) {
            dnd.add(Reason.CHAT_DND);
        }
        if (p.presence() == Presence.DND) {
            dnd.add(Reason.PRESENCE_DND);
        }
        if (p.presence() == Presence.INVISIBLE) {
            dnd.add(Reason.PRESENCE_INVISIBLE);
        }
        if (p.allowedCalls() != null && p.allowedCalls().stream().noneMatch(CallClass::inbound)) {
            dnd.add(Reason.CALLS_BLOCKED_BY_STATUS);
        }

        switch (p.line()) {
            case RINGING -> busy.add(Reason.RINGING);
            case DIALING -> busy.add(Reason.DIALING);
            case HOLD -> busy.add(Reason.ON_HOLD);
            case TALKING, BUSY -> busy.add(Reason.ON_CALL);
            default -> {
                if (p.activeCalls() > 0) {
                    busy.add(Reason.ON_CALL);
                }
            }
        }
        if (p.presence() == Presence.BUSY) {
            busy.add(Reason.PROFILE_BUSY);
        }

        Reason presenceReason = awayReason(p.presence());
        if (presenceReason != null && !Boolean.TRUE.equals(p.presenceAcceptsCalls())) {
            away.add(presenceReason);
        }
        // the vendor's policy for a chosen (non-available) presence says inbound calls are refused
        boolean policyBlocks = Boolean.FALSE.equals(p.presenceAcceptsCalls())
                && p.presence() != Presence.AVAILABLE && p.presence() != Presence.UNKNOWN;
        if (policyBlocks) {
            (presenceReason != null ? away : busy).add(Reason.CALLS_BLOCKED_BY_PRESENCE_POLICY);
        }
        switch (p.chat()) {
            case AWAY -> away.add(Reason.CHAT_AWAY);
            case INVISIBLE -> away.add(Reason.CHAT_INVISIBLE);
            case OFFLINE -> away.add(Reason.CHAT_OFFLINE);
            default -> { }
        }
        // a value nobody documented is never evidence of availability
        if (!p.unrecognised().isEmpty()) {
            away.add(Reason.UNRECOGNISED_VENDOR_VALUE);
        }

        List<Reason> reasons = new ArrayList<>(offline.size() + dnd.size() + busy.size() + away.size() + 1);
        reasons.addAll(offline);
        reasons.addAll(dnd);
        reasons.addAll(busy);
        reasons.addAll(away);

        Availability availability;
        if (!offline.isEmpty()) {
            availability = Availability.OFFLINE;
        } else if (!dnd.isEmpty()) {
            availability = Availability.DND;
        } else if (!busy.isEmpty()) {
            availability = Availability.BUSY;
        } else if (!away.isEmpty()) {
            availability = Availability.AWAY;
        } else if (nothingKnown(p)) {
            availability = Availability.UNKNOWN;
            reasons.add(Reason.NO_DATA);
        } else {
            availability = Availability.AVAILABLE;
        }

        boolean lineFree = !p.line().inUse() && p.activeCalls() == 0;
        boolean externalCallsAllowed = p.allowedCalls() == null
                || p.allowedCalls().stream().anyMatch(CallClass::externalInbound);
        boolean unknownWhetherCallsRing = p.unrecognised().stream().anyMatch(Dimension::decidesWhetherCallsRing);
        boolean acceptsCalls = p.enabled()
                && registered
                && dnd.isEmpty()
                && !policyBlocks
                && externalCallsAllowed
                && !unknownWhetherCallsRing
                && (lineFree || Boolean.TRUE.equals(p.callWaiting()));
        return new Verdict(availability, acceptsCalls, List.copyOf(reasons));
    }

    /** The AWAY reason a chosen presence gives, or null for AVAILABLE, UNKNOWN and the DND/BUSY kinds. */
    static Reason awayReason(Presence presence) {
        return switch (presence) {
            case AWAY, BE_RIGHT_BACK -> Reason.PROFILE_AWAY;
            case OUT_OF_OFFICE -> Reason.PROFILE_OUT_OF_OFFICE;
            case OFF_WORK -> Reason.PROFILE_OFF_WORK;
            case HOLIDAY -> Reason.PROFILE_HOLIDAY;
            case LUNCH -> Reason.PROFILE_LUNCH;
            case BUSINESS_TRIP -> Reason.PROFILE_BUSINESS_TRIP;
            case OFFLINE -> Reason.PROFILE_OFFLINE;
            case CUSTOM -> Reason.PROFILE_CUSTOM;
            case AVAILABLE, UNKNOWN, BUSY, DND, INVISIBLE -> null;
        };
    }

    private static boolean nothingKnown(ExtensionPresence p) {
        return p.registration() == Registration.UNKNOWN && p.devices().isEmpty()
                && p.presence() == Presence.UNKNOWN && p.chat() == ChatStatus.UNKNOWN
                && p.line() == LineState.UNKNOWN
                && p.dnd() == null && p.allowedCalls() == null;
    }
}
