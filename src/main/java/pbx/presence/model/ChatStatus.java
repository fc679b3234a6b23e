package pbx.presence.model;

/**
 * Chat / app status (3CX CHATSTATUS, softphone presence). Seed 000's rule treats anything but
 * ONLINE as not available. UNKNOWN when the vendor does not report it or the source ignores it.
 */
public enum ChatStatus {
    ONLINE, AWAY, DND, INVISIBLE, OFFLINE, UNKNOWN
}
