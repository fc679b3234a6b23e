package pbx.presence.model;

import java.util.List;
import java.util.Set;

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
        return derive(p.enabled(), p.presence(), p.dnd(), p.chat(), p.line(), p.activeCalls(), p.callWaiting(),
                p.registration(), p.devices(), p.allowedCalls(), p.presenceAcceptsCalls(), p.unrecognised());
    }

    /**
     * The rule over a record's inputs, already normalised as the record's constructor does (no null
     * enums, devices never null, unrecognised never null). {@link ExtensionPresence.Builder#build()}
     * calls it before it makes the one record, so a poll does not build every record twice.
     *
     * <p>Written as plain loops that append to one small array in rule order (offline, DND, busy,
     * away), counting how many each group added: a poll derives this once per extension, and four
     * lists plus four streams over the devices were most of what building a record cost (issue 13).
     */
    static Verdict derive(boolean enabled, Presence presence, Boolean dnd, ChatStatus chat, LineState line,
                          int activeCalls, Boolean callWaiting, Registration registration, List<Device> devices,
                          Set<CallClass> allowedCalls, Boolean presenceAcceptsCalls, Set<Dimension> unrecognised) {
        boolean anyDeviceOnline = false;
        boolean allDevicesOffline = !devices.isEmpty();
        boolean deviceDnd = false;
        for (int i = 0, n = devices.size(); i < n; i++) {
            Device d = devices.get(i);
            anyDeviceOnline |= d.knownOnline();
            allDevicesOffline &= Boolean.FALSE.equals(d.online());
            // a DND flag left on a device that is known to be offline blocks nothing
            deviceDnd |= d.knownDnd() && !Boolean.FALSE.equals(d.online());
        }
        boolean registered = registration == Registration.REGISTERED
                || registration == Registration.NOT_REQUIRED || anyDeviceOnline;
        boolean unregistered = !registered && (registration == Registration.NOT_REGISTERED
                || registration == Registration.EXPIRED
                || (registration == Registration.UNKNOWN
                        && (allDevicesOffline || line == LineState.UNAVAILABLE)));

        Reason[] found = new Reason[MAX_REASONS];
        int n = 0;
        if (!enabled) {
            found[n++] = Reason.DISABLED;
        }
        if (unregistered) {
            found[n++] = Reason.NOT_REGISTERED;
        }
        int offline = n;

        if (Boolean.TRUE.equals(dnd) || deviceDnd) {
            found[n++] = Reason.DND;
        }
        if (chat == ChatStatus.DND) {
            found[n++] = Reason.CHAT_DND;
        }
        if (presence == Presence.DND) {
            found[n++] = Reason.PRESENCE_DND;
        }
        if (presence == Presence.INVISIBLE) {
            found[n++] = Reason.PRESENCE_INVISIBLE;
        }
        if (allowedCalls != null && none(allowedCalls, false)) {
            found[n++] = Reason.CALLS_BLOCKED_BY_STATUS;
        }
        int dndEnd = n;

        switch (line) {
            case RINGING -> found[n++] = Reason.RINGING;
            case DIALING -> found[n++] = Reason.DIALING;
            case HOLD -> found[n++] = Reason.ON_HOLD;
            case TALKING, BUSY -> found[n++] = Reason.ON_CALL;
            default -> {
                if (activeCalls > 0) {
                    found[n++] = Reason.ON_CALL;
                }
            }
        }
        if (presence == Presence.BUSY) {
            found[n++] = Reason.PROFILE_BUSY;
        }
        Reason presenceReason = awayReason(presence);
        // the vendor's policy for a chosen (non-available) presence says inbound calls are refused;
        // it counts as AWAY when the presence itself does, else as BUSY
        boolean policyBlocks = Boolean.FALSE.equals(presenceAcceptsCalls)
                && presence != Presence.AVAILABLE && presence != Presence.UNKNOWN;
        if (policyBlocks && presenceReason == null) {
            found[n++] = Reason.CALLS_BLOCKED_BY_PRESENCE_POLICY;
        }
        int busyEnd = n;

        if (presenceReason != null && !Boolean.TRUE.equals(presenceAcceptsCalls)) {
            found[n++] = presenceReason;
        }
        if (policyBlocks && presenceReason != null) {
            found[n++] = Reason.CALLS_BLOCKED_BY_PRESENCE_POLICY;
        }
        switch (chat) {
            case AWAY -> found[n++] = Reason.CHAT_AWAY;
            case INVISIBLE -> found[n++] = Reason.CHAT_INVISIBLE;
            case OFFLINE -> found[n++] = Reason.CHAT_OFFLINE;
            default -> { }
        }
        // a value nobody documented is never evidence of availability
        boolean unknownWhetherCallsRing = false;
        if (!unrecognised.isEmpty()) {
            found[n++] = Reason.UNRECOGNISED_VENDOR_VALUE;
            for (Dimension d : unrecognised) {
                unknownWhetherCallsRing |= d.decidesWhetherCallsRing();
            }
        }

        Availability availability;
        if (offline > 0) {
            availability = Availability.OFFLINE;
        } else if (dndEnd > 0) {
            availability = Availability.DND;
        } else if (busyEnd > 0) {
            availability = Availability.BUSY;
        } else if (n > 0) {
            availability = Availability.AWAY;
        } else if (nothingKnown(presence, dnd, chat, line, registration, devices, allowedCalls)) {
            availability = Availability.UNKNOWN;
            found[n++] = Reason.NO_DATA;
        } else {
            availability = Availability.AVAILABLE;
        }

        boolean lineFree = !line.inUse() && activeCalls == 0;
        boolean externalCallsAllowed = allowedCalls == null || !none(allowedCalls, true);
        boolean acceptsCalls = enabled
                && registered
                && dndEnd == offline
                && !policyBlocks
                && externalCallsAllowed
                && !unknownWhetherCallsRing
                && (lineFree || Boolean.TRUE.equals(callWaiting));
        return new Verdict(availability, acceptsCalls, reasons(found, n));
    }

    /** More than the rule can ever find at once (two offline, five DND, three busy, four away, or NO_DATA). */
    private static final int MAX_REASONS = 16;
    /** The one-reason lists, shared: most records that are not AVAILABLE have exactly one reason. */
    private static final List<List<Reason>> SINGLE = java.util.Arrays.stream(Reason.values()).map(List::of).toList();

    private static List<Reason> reasons(Reason[] found, int n) {
        return switch (n) {
            case 0 -> List.of();
            case 1 -> SINGLE.get(found[0].ordinal());
            case 2 -> List.of(found[0], found[1]);
            default -> List.of(java.util.Arrays.copyOf(found, n));
        };
    }

    /** Whether no class of call in {@code allowed} is inbound ({@code external}: external inbound). */
    private static boolean none(Set<CallClass> allowed, boolean external) {
        for (CallClass c : allowed) {
            if (external ? c.externalInbound() : c.inbound()) {
                return false;
            }
        }
        return true;
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

    private static boolean nothingKnown(Presence presence, Boolean dnd, ChatStatus chat, LineState line,
                                        Registration registration, List<Device> devices, Set<CallClass> allowedCalls) {
        return registration == Registration.UNKNOWN && devices.isEmpty()
                && presence == Presence.UNKNOWN && chat == ChatStatus.UNKNOWN
                && line == LineState.UNKNOWN
                && dnd == null && allowedCalls == null;
    }
}
