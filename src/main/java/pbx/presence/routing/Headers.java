package pbx.presence.routing;

/** Message headers the routes use; integrators can filter on the Pbx* event headers in YAML. */
public final class Headers {
    /** Id of the configured source a poll or event belongs to. */
    public static final String SOURCE = "PbxSource";
    /** Set by a source kamelet when its poll failed; the exception is in the exchange. */
    public static final String POLL_FAILED = "PbxPollFailed";
    /** CloudEvents type of the event, e.g. pbx.presence.changed. */
    public static final String EVENT_TYPE = "PbxEventType";
    /** Extension number the event is about (absent for source events). */
    public static final String EXTENSION = "PbxExtension";
    /** Comma-separated significant fields that changed, e.g. availability,line. */
    public static final String CHANGED = "PbxChanged";
    /** Availability after the change (before, for a removal). */
    public static final String AVAILABILITY = "PbxAvailability";
    /** Event id, for dead-letter and logs. */
    public static final String EVENT_ID = "PbxEventId";

    /** Position of the event in the event log (set by presence-events consumers). */
    public static final String LOG_POSITION = "PbxLogPosition";

    private Headers() {
    }
}
