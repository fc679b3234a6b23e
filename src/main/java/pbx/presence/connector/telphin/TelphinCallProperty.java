package pbx.presence.connector.telphin;

import pbx.presence.model.CallClass;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The mnemo codes of a Telphin status's {@code property_list} (seed 003, {@code GET
 * /extension/call_property/}): which classes of call a status lets through.
 */
enum TelphinCallProperty {
    /** All calls are allowed. */
    ALL("all", CallClass.ALL),
    /** Active calling: inbound through a queue only when the queue is the first leg of a callback. */
    CQ("cq", CallClass.CALLBACK_QUEUE),
    /** Internal incoming personal: incoming calls from within the same client. */
    LI("li", CallClass.INT_IN),
    /** Internal outgoing: outgoing calls within the same client. */
    LO("lo", CallClass.INT_OUT),
    /** Internal queue inbound: queued inbound calls that originated within the client. */
    QLI("qli", CallClass.QUEUE_INT_IN),
    /** External queue incoming: queued incoming calls initiated from outside. */
    QRI("qri", CallClass.QUEUE_EXT_IN),
    /** External incoming personal: calls from outside, e.g. dialled through the voice menu. */
    RI("ri", CallClass.EXT_IN),
    /** External outgoing: calls to external numbers. */
    RO("ro", CallClass.EXT_OUT);

    private final String mnemo;
    private final CallClass callClass;

    TelphinCallProperty(String mnemo, CallClass callClass) {
        this.mnemo = mnemo;
        this.callClass = callClass;
    }

    String mnemo() {
        return mnemo;
    }

    CallClass callClass() {
        return callClass;
    }

    /** The property for a mnemo, case and surrounding blanks ignored; empty for an undocumented one. */
    static Optional<TelphinCallProperty> of(String mnemo) {
        if (mnemo == null) {
            return Optional.empty();
        }
        String m = mnemo.strip().toLowerCase(Locale.ROOT);
        for (TelphinCallProperty p : values()) {
            if (p.mnemo.equals(m)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The call classes a set of properties allows. When several apply the broadest wins: {@code all}
     * stands for every class, so a list holding it is {@code {ALL}} whatever else it names; otherwise
     * the classes add up ({@code li} + {@code ri} allow internal and external personal calls).
     */
    static Set<CallClass> allowed(Set<TelphinCallProperty> properties) {
        if (properties.contains(ALL)) {
            return EnumSet.of(CallClass.ALL);
        }
        Set<CallClass> out = EnumSet.noneOf(CallClass.class);
        for (TelphinCallProperty p : properties) {
            out.add(p.callClass);
        }
        return out;
    }
}
