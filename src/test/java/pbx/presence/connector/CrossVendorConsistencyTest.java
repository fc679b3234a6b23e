package pbx.presence.connector;

import org.junit.jupiter.api.Test;
import pbx.presence.RouterTestSupport;
import pbx.presence.change.ChangeDetector;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;
import pbx.presence.model.Availability;
import pbx.presence.model.ExtensionPresence;

import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * One real-world situation, expressed in every vendor's own payload, gives the same
 * {@code availability} and {@code acceptsCalls}. The embedded demo runs a simulator per vendor over
 * one shared PBX state; each simulator renders that state in its vendor's API (3CX text API, 3CX
 * Call Control JSON, 3CX v20 XAPI, VoipNow, Telphin statuses with call classes, TelecomX
 * employees), each source polls it through its real fetcher, translator and change detector, and
 * the test compares what the router stored for the extension under every source.
 *
 * <p>A vendor is left out of a situation only when its API cannot express it: VoipNow's presence
 * API has no user status and no DND; the 3CX text API and XAPI have no DND; TelecomX has no
 * "away" (its presence states carry their own call policies, which the rule honours separately).
 */
class CrossVendorConsistencyTest extends RouterTestSupport {

    private static final List<String> ALL = List.of("demo-3cx-http", "demo-3cx-callcontrol", "demo-3cx-v20",
            "demo-voipnow", "demo-telphin", "demo-telecomx");
    private static final String EXT = "202";

    @Test
    void sameSituationSameVerdictInEveryVendor() {
        await().atMost(Duration.ofSeconds(20)).until(() -> ALL.stream().allMatch(s -> baselineRecorded(s)));
        var pbx = demo().pbx();

        situation("registered, idle, available", e -> e, ALL, Availability.AVAILABLE, true);

        situation("registered, idle, user set away",
                e -> e.withPresence(SimulatedExtension.AWAY, SimulatedExtension.USER_AWAY, SimulatedExtension.CHAT_ONLINE),
                List.of("demo-3cx-http", "demo-3cx-callcontrol", "demo-3cx-v20", "demo-telphin"), Availability.AWAY, true);
        pbx.update(EXT, e -> e.withPresence(SimulatedExtension.AVAILABLE, SimulatedExtension.USER_AVAILABLE, SimulatedExtension.CHAT_ONLINE));

        // TelecomX reports call waiting (on in the seed's example): with it on, a second call would ring, so
        // the same situation there is "on a call, call waiting off"; with it on, acceptsCalls is rightly true
        ((pbx.presence.demo.TelecomXSimulator) demo().vendor("telecomx")).setCallWaiting(EXT, false);
        situation("on a call, no call waiting", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")),
                ALL, Availability.BUSY, false);
        ((pbx.presence.demo.TelecomXSimulator) demo().vendor("telecomx")).setCallWaiting(EXT, true);
        situation("on a call, call waiting on (only TelecomX reports it)", e -> e, List.of("demo-telecomx"), Availability.BUSY, true);
        pbx.update(EXT, SimulatedExtension::withNoCalls);

        situation("every device offline", e -> e.withRegistered(false), ALL, Availability.OFFLINE, false);
        pbx.update(EXT, e -> e.withRegistered(true));

        situation("do not disturb", e -> e.withChatStatus(SimulatedExtension.CHAT_DND),
                List.of("demo-3cx-callcontrol", "demo-telphin", "demo-telecomx"), Availability.DND, false);
    }

    private void situation(String name, UnaryOperator<SimulatedExtension> change, List<String> sources,
                           Availability availability, boolean acceptsCalls) {
        demo().pbx().update(EXT, change);
        ChangeDetector detector = context.getRegistry().lookupByNameAndType("changeDetector", ChangeDetector.class);
        try {
            await(name).atMost(Duration.ofSeconds(15)).until(() -> sources.stream().allMatch(s -> {
                ExtensionPresence p = stored(detector, s);
                return p != null && p.availability() == availability && p.acceptsCalls() == acceptsCalls;
            }));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Map<String, String> seen = new LinkedHashMap<>();
            for (String s : sources) {
                ExtensionPresence p = stored(detector, s);
                seen.put(s, p == null ? "nothing" : p.availability() + " acceptsCalls=" + p.acceptsCalls() + " " + p.reasons());
            }
            throw new AssertionError("'" + name + "' should be " + availability + " acceptsCalls=" + acceptsCalls
                    + " in every vendor, but: " + seen, e);
        }
    }

    private static ExtensionPresence stored(ChangeDetector detector, String sourceId) {
        return detector.snapshotOf(sourceId).stream().filter(p -> EXT.equals(p.extension())).findFirst().orElse(null);
    }
}
