package pbx.presence.routing;

import org.junit.jupiter.api.Test;
import pbx.presence.demo.SimulatedCall;
import pbx.presence.demo.SimulatedExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** presence.email.digest-seconds=2: the changes of one window become one mail, the next window another. */
class EmailDigestTest extends EmailRouterTest {

    private static final Pattern EVENT_ID = Pattern.compile("\\(event ([^)]+)\\)");

    @Override
    protected void emailProperties(Properties p) {
        p.put("presence.email.digest-seconds", "2");
    }

    @Test
    void changesOfOneWindowBecomeOneDigestAndALaterWindowAnother() throws Exception {
        awaitBaseline();
        var pbx = demo().pbx();

        // window 1: one change; its mail marks a window boundary (the aggregator completes every 2 s)
        pbx.update("202", e -> e.withCall(SimulatedCall.direct(pbx.nextCallId(), SimulatedCall.CONNECTED, "+4930123456")));
        eventually().until(() -> mails().size() == 1);
        Mail first = Mail.of(mails().get(0));
        assertEquals("PBX presence: 1 change (202 Bob Becker BUSY)", first.subject());
        first.assertAlternativeTextAndHtml();
        first.assertOnlyMailHeaders();
        assertEquals(List.of(FROM), first.from());
        assertEquals(List.of(OPS, ONCALL), first.to());

        // window 2: three changes from two polls, well within the next 2 s
        int before = fileEvents(CC, "203").size();
        pbx.update("203", e -> e.withPresence(SimulatedExtension.AWAY, SimulatedExtension.USER_AWAY, SimulatedExtension.CHAT_AWAY));
        eventually().until(() -> fileEvents(CC, "203").size() == before + 1);
        pbx.update("202", SimulatedExtension::withNoCalls);
        pbx.update("205", e -> e.withPresence(SimulatedExtension.AVAILABLE, SimulatedExtension.USER_AVAILABLE, SimulatedExtension.CHAT_ONLINE));
        eventually().until(() -> mails().size() == 2);

        List<String> windowTwo = fileEvents().stream()
                .filter(e -> e.path("source").asText().endsWith("/" + CC))
                .map(e -> e.path("id").asText())
                .skip(1)
                .toList();
        assertEquals(3, windowTwo.size(), "three events after the first: " + windowTwo);

        Mail digest = Mail.of(mails().get(1));
        digest.assertAlternativeTextAndHtml();
        assertTrue(digest.subject().startsWith("PBX presence: 3 changes ("), digest.subject());
        for (String item : List.of("203 Carol Schulz AWAY", "202 Bob Becker AVAILABLE", "205 Erin Wagner AVAILABLE")) {
            assertTrue(digest.subject().contains(item), digest.subject());
        }
        assertEquals(windowTwo, eventIds(digest.text()), "the digest lists the window's events in the order they happened");
        for (String id : windowTwo) {
            assertTrue(digest.html().contains(id), digest.html());
        }
        assertEquals(2, mails().size(), "one mail per window");
        assertEquals(2, mails(ONCALL).size(), "one mail per window for every recipient");
    }

    private static List<String> eventIds(String text) {
        List<String> ids = new ArrayList<>();
        Matcher m = EVENT_ID.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
