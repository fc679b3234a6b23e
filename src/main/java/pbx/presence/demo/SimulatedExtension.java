package pbx.presence.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable state of one simulated 3CX extension. Change it by replacement:
 * {@code pbx.update("201", e -> e.withProfile(SimulatedExtension.OUT_OF_OFFICE))}.
 *
 * @param number         extension number (key)
 * @param name           display name
 * @param enabled        administratively enabled
 * @param registered     a phone is registered ({@code dnregs} answers {@code error} when false)
 * @param userAgent      the registered phone's user agent
 * @param profile        3CX forwarding profile name: {@link #AVAILABLE}, {@link #AWAY},
 *                       {@link #OUT_OF_OFFICE}, {@link #CUSTOM_1}, {@link #CUSTOM_2} (others served as given)
 * @param userStatus     3CX's two-valued UserStatus: {@link #USER_AVAILABLE} or {@link #USER_AWAY}
 * @param chatStatus     3CX CHATSTATUS: 0 online, 1 away, 2 do not disturb, 3 invisible, 4 offline
 *                       (values outside 0..4 are served as given, to test lenient parsing)
 * @param calls          active call legs
 * @param loggedInQueues queue numbers the extension is logged in to ({@code LOGGED_IN_QUEUES})
 */
public record SimulatedExtension(
        String number,
        String name,
        boolean enabled,
        boolean registered,
        String userAgent,
        String profile,
        String userStatus,
        int chatStatus,
        List<SimulatedCall> calls,
        List<String> loggedInQueues) {

    public static final String AVAILABLE = "Available";
    public static final String AWAY = "Away";
    public static final String OUT_OF_OFFICE = "Out of office";
    public static final String CUSTOM_1 = "Custom 1";
    public static final String CUSTOM_2 = "Custom 2";

    public static final String USER_AVAILABLE = "Available";
    public static final String USER_AWAY = "Away";

    public static final int CHAT_ONLINE = 0;
    public static final int CHAT_AWAY = 1;
    public static final int CHAT_DND = 2;
    public static final int CHAT_INVISIBLE = 3;
    public static final int CHAT_OFFLINE = 4;

    public static final String DEFAULT_USER_AGENT = "Yealink SIP-T46S 66.86.0.15";

    public SimulatedExtension {
        Objects.requireNonNull(number, "number");
        name = name == null ? "" : name;
        userAgent = userAgent == null ? "" : userAgent;
        profile = profile == null ? AVAILABLE : profile;
        userStatus = userStatus == null ? USER_AVAILABLE : userStatus;
        calls = calls == null ? List.of() : List.copyOf(calls);
        loggedInQueues = loggedInQueues == null ? List.of() : List.copyOf(loggedInQueues);
    }

    /** An enabled, registered, idle extension in profile Available, UserStatus Available, CHATSTATUS 0. */
    public static SimulatedExtension of(String number, String name) {
        return new SimulatedExtension(number, name, true, true, DEFAULT_USER_AGENT, AVAILABLE, USER_AVAILABLE,
                CHAT_ONLINE, List.of(), List.of());
    }

    public SimulatedExtension withName(String v) {
        return new SimulatedExtension(number, v, enabled, registered, userAgent, profile, userStatus, chatStatus, calls, loggedInQueues);
    }

    public SimulatedExtension withEnabled(boolean v) {
        return new SimulatedExtension(number, name, v, registered, userAgent, profile, userStatus, chatStatus, calls, loggedInQueues);
    }

    public SimulatedExtension withRegistered(boolean v) {
        return new SimulatedExtension(number, name, enabled, v, userAgent, profile, userStatus, chatStatus, calls, loggedInQueues);
    }

    public SimulatedExtension withUserAgent(String v) {
        return new SimulatedExtension(number, name, enabled, registered, v, profile, userStatus, chatStatus, calls, loggedInQueues);
    }

    /** Changes only the forwarding profile; UserStatus and CHATSTATUS stay as they are (seed 000's trap). */
    public SimulatedExtension withProfile(String v) {
        return new SimulatedExtension(number, name, enabled, registered, userAgent, v, userStatus, chatStatus, calls, loggedInQueues);
    }

    public SimulatedExtension withUserStatus(String v) {
        return new SimulatedExtension(number, name, enabled, registered, userAgent, profile, v, chatStatus, calls, loggedInQueues);
    }

    public SimulatedExtension withChatStatus(int v) {
        return new SimulatedExtension(number, name, enabled, registered, userAgent, profile, userStatus, v, calls, loggedInQueues);
    }

    /** Profile, UserStatus and CHATSTATUS at once. */
    public SimulatedExtension withPresence(String newProfile, String newUserStatus, int newChatStatus) {
        return new SimulatedExtension(number, name, enabled, registered, userAgent, newProfile, newUserStatus, newChatStatus, calls, loggedInQueues);
    }

    public SimulatedExtension withCalls(List<SimulatedCall> v) {
        return new SimulatedExtension(number, name, enabled, registered, userAgent, profile, userStatus, chatStatus, v, loggedInQueues);
    }

    /** Adds a call, replacing one with the same call id. */
    public SimulatedExtension withCall(SimulatedCall call) {
        List<SimulatedCall> next = new ArrayList<>();
        for (SimulatedCall c : calls) {
            if (c.callId() != call.callId()) {
                next.add(c);
            }
        }
        next.add(call);
        return withCalls(next);
    }

    /** Sets the state of every call (e.g. answer a ringing call). */
    public SimulatedExtension withCallsInState(String state) {
        return withCalls(calls.stream().map(c -> c.withState(state)).toList());
    }

    public SimulatedExtension withoutCall(long callId) {
        return withCalls(calls.stream().filter(c -> c.callId() != callId).toList());
    }

    public SimulatedExtension withNoCalls() {
        return withCalls(List.of());
    }

    public SimulatedExtension withLoggedInQueues(List<String> v) {
        return new SimulatedExtension(number, name, enabled, registered, userAgent, profile, userStatus, chatStatus, calls, v);
    }

    /** The first call leg, or null when idle (what {@code ondn} and {@code getcallerid} report). */
    public SimulatedCall firstCall() {
        return calls.isEmpty() ? null : calls.get(0);
    }
}
