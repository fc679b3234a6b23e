package pbx.presence.model;

/** Aggregate SIP/device registration over all of an extension's devices. */
public enum Registration {
    REGISTERED, NOT_REGISTERED, EXPIRED, NOT_REQUIRED, UNKNOWN
}
