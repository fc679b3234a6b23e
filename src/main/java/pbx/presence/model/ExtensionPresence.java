package pbx.presence.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The canonical presence of one extension as one poll of one source saw it (DESIGN.md).
 *
 * <p>Dimensions are kept apart (presence, chat status, line, registration, agent), the raw vendor
 * fields that fed the decision are kept in {@code vendorStatus}, and {@code availability},
 * {@code acceptsCalls} and {@code reasons} are derived by {@link AvailabilityRule}. Translators
 * build instances through {@link #builder}, whose {@code build()} always applies the rule, so no
 * vendor can derive availability its own way.
 *
 * @param allowedCalls call classes the current status permits; null when the vendor has no such concept
 * @param presenceAcceptsCalls the vendor's own policy for the current presence (TelecomX
 *        {@code onPresence<State>}): TRUE accepted, FALSE not, null no policy
 * @param callWaiting whether a second call would be offered while one is active; null unknown
 * @param unrecognised the dimensions for which the vendor sent a value the connector does not
 *        recognise (raw value in {@code vendorStatus}); never null, empty when every value was known
 */
public record ExtensionPresence(
        String source,
        String vendor,
        String extension,
        String extensionId,
        String name,
        boolean enabled,
        Presence presence,
        String presenceLabel,
        Boolean dnd,
        ChatStatus chat,
        LineState line,
        int activeCalls,
        Boolean callWaiting,
        Registration registration,
        List<Device> devices,
        AgentState agent,
        List<String> queues,
        Set<CallClass> allowedCalls,
        Boolean presenceAcceptsCalls,
        Set<Dimension> unrecognised,
        Availability availability,
        boolean acceptsCalls,
        List<Reason> reasons,
        Map<String, Object> vendorStatus,
        Instant observedAt) {

    public ExtensionPresence {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(extension, "extension");
        presence = presence == null ? Presence.UNKNOWN : presence;
        activeCalls = Math.max(0, activeCalls);
        chat = chat == null ? ChatStatus.UNKNOWN : chat;
        line = line == null ? LineState.UNKNOWN : line;
        registration = registration == null ? Registration.UNKNOWN : registration;
        agent = agent == null ? AgentState.UNKNOWN : agent;
        devices = devices == null ? List.of() : List.copyOf(devices);
        queues = queues == null ? List.of() : List.copyOf(queues);
        allowedCalls = allowedCalls == null ? null
                : Collections.unmodifiableSet(allowedCalls.isEmpty() ? EnumSet.noneOf(CallClass.class) : EnumSet.copyOf(allowedCalls));
        unrecognised = unrecognised == null || unrecognised.isEmpty() ? NONE_UNRECOGNISED
                : Collections.unmodifiableSet(EnumSet.copyOf(unrecognised));
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        vendorStatus = vendorStatus == null ? Map.of() : VendorFields.copyOf(vendorStatus);
    }

    private static final Set<Dimension> NONE_UNRECOGNISED = Collections.unmodifiableSet(EnumSet.noneOf(Dimension.class));

    public static Builder builder(String source, String vendor, String extension) {
        return new Builder(source, vendor, extension);
    }

    /** A builder pre-filled with this record's inputs; {@code build()} derives again. */
    public Builder toBuilder() {
        Builder b = new Builder(source, vendor, extension);
        b.extensionId = extensionId;
        b.name = name;
        b.enabled = enabled;
        b.presence = presence;
        b.presenceLabel = presenceLabel;
        b.dnd = dnd;
        b.chat = chat;
        b.line = line;
        b.activeCalls = activeCalls;
        b.callWaiting = callWaiting;
        b.registration = registration;
        b.devices = new ArrayList<>(devices);
        b.agent = agent;
        b.queues = new ArrayList<>(queues);
        b.allowedCalls = allowedCalls == null ? null : EnumSet.copyOf(allowedCalls.isEmpty() ? EnumSet.noneOf(CallClass.class) : allowedCalls);
        b.presenceAcceptsCalls = presenceAcceptsCalls;
        b.unrecognised = EnumSet.noneOf(Dimension.class);
        b.unrecognised.addAll(unrecognised);
        vendorStatus.forEach(b.vendorStatus::put);
        b.observedAt = observedAt;
        return b;
    }

    /** Collects a translator's findings; {@link #build()} applies {@link AvailabilityRule}. */
    public static final class Builder {
        private final String source;
        private final String vendor;
        private final String extension;
        private String extensionId;
        private String name;
        private boolean enabled = true;
        private Presence presence = Presence.UNKNOWN;
        private String presenceLabel;
        private Boolean dnd;
        private ChatStatus chat = ChatStatus.UNKNOWN;
        private LineState line = LineState.UNKNOWN;
        private int activeCalls;
        private Boolean callWaiting;
        private Registration registration = Registration.UNKNOWN;
        /** Null until a device is added: most records of a poll have none or one (issue 13). */
        private List<Device> devices;
        private AgentState agent = AgentState.UNKNOWN;
        private List<String> queues;
        private Set<CallClass> allowedCalls;
        private Boolean presenceAcceptsCalls;
        /** Null until a dimension is marked: almost every record has none. */
        private Set<Dimension> unrecognised;
        /** Hands its arrays to the record on build() and copies them before a later change. */
        private final VendorFields.Builder vendorStatus = VendorFields.builder(4);
        private Instant observedAt;

        private Builder(String source, String vendor, String extension) {
            this.source = source;
            this.vendor = vendor;
            this.extension = extension;
        }

        public Builder extensionId(String v) { this.extensionId = v; return this; }
        public Builder name(String v) { this.name = v; return this; }
        public Builder enabled(boolean v) { this.enabled = v; return this; }
        public Builder presence(Presence v) { this.presence = v; return this; }
        public Builder presenceLabel(String v) { this.presenceLabel = v; return this; }
        public Builder dnd(Boolean v) { this.dnd = v; return this; }
        public Builder chat(ChatStatus v) { this.chat = v; return this; }
        public Builder line(LineState v) { this.line = v; return this; }
        public Builder activeCalls(int v) { this.activeCalls = v; return this; }
        public Builder callWaiting(Boolean v) { this.callWaiting = v; return this; }
        public Builder registration(Registration v) { this.registration = v; return this; }
        public Builder devices(List<Device> v) { this.devices = new ArrayList<>(v); return this; }
        public Builder device(Device v) {
            if (devices == null) {
                devices = new ArrayList<>(2);
            }
            devices.add(v);
            return this;
        }
        public Builder agent(AgentState v) { this.agent = v; return this; }
        public Builder queues(List<String> v) { this.queues = new ArrayList<>(v); return this; }
        public Builder allowedCalls(Set<CallClass> v) { this.allowedCalls = v; return this; }
        public Builder presenceAcceptsCalls(Boolean v) { this.presenceAcceptsCalls = v; return this; }
        /** The vendor sent a value for this dimension that the connector does not recognise. */
        public Builder unrecognised(Dimension v) {
            if (unrecognised == null) {
                unrecognised = EnumSet.noneOf(Dimension.class);
            }
            unrecognised.add(v);
            return this;
        }
        public Builder vendorStatus(String key, Object value) {
            vendorStatus.put(key, value);
            return this;
        }
        public Builder observedAt(Instant v) { this.observedAt = v; return this; }

        /** Builds the record and derives availability, acceptsCalls and reasons. */
        public ExtensionPresence build() {
            // the record takes the builder's arrays over instead of copying them; a later vendorStatus() copies first
            Map<String, Object> vendorStatus = this.vendorStatus.build();
            // the inputs normalised as the record's constructor does, so that the rule runs before the one
            // record is made (the constructor keeps these immutable copies without copying them again)
            List<Device> devices = this.devices == null ? List.of() : List.copyOf(this.devices);
            List<String> queues = this.queues == null ? List.of() : List.copyOf(this.queues);
            Set<Dimension> unrecognised = this.unrecognised == null || this.unrecognised.isEmpty() ? NONE_UNRECOGNISED
                    : Collections.unmodifiableSet(EnumSet.copyOf(this.unrecognised));
            Set<CallClass> allowedCalls = this.allowedCalls == null ? null : Collections.unmodifiableSet(
                    this.allowedCalls.isEmpty() ? EnumSet.noneOf(CallClass.class) : EnumSet.copyOf(this.allowedCalls));
            Presence presence = this.presence == null ? Presence.UNKNOWN : this.presence;
            ChatStatus chat = this.chat == null ? ChatStatus.UNKNOWN : this.chat;
            LineState line = this.line == null ? LineState.UNKNOWN : this.line;
            Registration registration = this.registration == null ? Registration.UNKNOWN : this.registration;
            int activeCalls = Math.max(0, this.activeCalls);
            AvailabilityRule.Verdict v = AvailabilityRule.derive(enabled, presence, dnd, chat, line, activeCalls,
                    callWaiting, registration, devices, allowedCalls, presenceAcceptsCalls, unrecognised);
            return new ExtensionPresence(source, vendor, extension, extensionId, name, enabled, presence,
                    presenceLabel, dnd, chat, line, activeCalls, callWaiting, registration, devices, agent,
                    queues, allowedCalls, presenceAcceptsCalls, unrecognised, v.availability(), v.acceptsCalls(),
                    v.reasons(), vendorStatus, observedAt);
        }
    }
}
