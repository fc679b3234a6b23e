package pbx.presence.model;

/** Classes of calls a status permits (Telphin property_list, TelecomX per-presence policy). */
public enum CallClass {
    ALL, INT_IN, INT_OUT, EXT_IN, EXT_OUT, QUEUE_INT_IN, QUEUE_EXT_IN, CALLBACK_QUEUE;

    /** True when this class lets some inbound call through. */
    public boolean inbound() {
        return this == ALL || this == INT_IN || this == EXT_IN || this == QUEUE_INT_IN || this == QUEUE_EXT_IN;
    }

    /** True when this class lets an inbound call from outside the PBX through (directly or through a queue). */
    public boolean externalInbound() {
        return this == ALL || this == EXT_IN || this == QUEUE_EXT_IN;
    }
}
