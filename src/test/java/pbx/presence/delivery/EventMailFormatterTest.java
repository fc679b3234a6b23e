package pbx.presence.delivery;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import pbx.presence.model.ChatStatus;
import pbx.presence.model.Device;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.LineState;
import pbx.presence.model.Presence;
import pbx.presence.model.PresenceEvent;
import pbx.presence.model.Registration;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mails the shipped templates make from {@link EventMailFormatter}'s view of events. */
class EventMailFormatterTest {

    private static final Instant T = Instant.parse("2026-11-22T10:15:03.120Z");
    private final Mails formatter = mails(new EventMailFormatter());

    /** The shipped templates (no override folder) rendering {@code f}'s views. */
    private static Mails mails(EventMailFormatter f) {
        return new Mails(new MailTemplates(f, null));
    }

    private record Mails(MailTemplates templates) {
        String subject(PresenceEvent e) {
            return templates.single(e).subject();
        }

        String text(PresenceEvent e) {
            return templates.single(e).text();
        }

        String html(PresenceEvent e) {
            return templates.single(e).html();
        }

        String digestSubject(List<PresenceEvent> events) {
            return templates.digest(events).subject();
        }

        String digestText(List<PresenceEvent> events) {
            return templates.digest(events).text();
        }

        String digestHtml(List<PresenceEvent> events) {
            return templates.digest(events).html();
        }
    }

    private static ExtensionPresence.Builder ext(String extension, String name) {
        return ExtensionPresence.builder("hq-3cx", "3cx-http", extension).name(name)
                .registration(Registration.REGISTERED).presence(Presence.AVAILABLE).line(LineState.IDLE)
                .chat(ChatStatus.ONLINE).device(new Device("d1", "Yealink", true, false, null)).observedAt(T);
    }

    private static PresenceEvent changed(String extension, String name, long seq, ExtensionPresence.Builder after,
                                         String... changed) {
        return PresenceEvent.extensionEvent(EventType.CHANGED, "hq-3cx", extension, seq, T.plusSeconds(seq),
                ext(extension, name).build(), after.build(), List.of(changed));
    }

    private static PresenceEvent busy() {
        return changed("201", "Alice", 42, ext("201", "Alice").line(LineState.TALKING).activeCalls(1),
                "availability", "acceptsCalls", "line", "activeCalls", "reasons");
    }

    private static PresenceEvent away() {
        return changed("202", "Bob", 7, ext("202", "Bob").presence(Presence.OUT_OF_OFFICE).chat(ChatStatus.AWAY),
                "availability", "presence", "chat", "reasons");
    }

    private static PresenceEvent added() {
        return PresenceEvent.extensionEvent(EventType.ADDED, "hq-3cx", "207", 1, T, null, ext("207", "Greta").build(), null);
    }

    private static PresenceEvent removed() {
        return PresenceEvent.extensionEvent(EventType.REMOVED, "hq-3cx", "207", 2, T, ext("207", "Greta").build(), null, null);
    }

    private static PresenceEvent down() {
        return PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, "hq-3cx", 3, T, 3, "connect timed out");
    }

    private static PresenceEvent up() {
        return PresenceEvent.sourceEvent(EventType.SOURCE_UP, "hq-3cx", 4, T, 0, null);
    }

    // ------------------------------------------------------------------ subjects

    @Test
    void subjectForEachType() {
        assertEquals("201 Alice is now BUSY: on a call", formatter.subject(busy()));
        assertEquals("202 Bob is now AWAY: out of office", formatter.subject(away()));
        assertEquals("201 Alice is now AVAILABLE", formatter.subject(changed("201", "Alice", 43, ext("201", "Alice"), "name")));
        assertEquals("New extension 207 Greta (AVAILABLE)", formatter.subject(added()));
        assertEquals("Extension 207 Greta removed", formatter.subject(removed()));
        assertEquals("PBX source hq-3cx is DOWN: connect timed out", formatter.subject(down()));
        assertEquals("PBX source hq-3cx is DOWN",
                formatter.subject(PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, "hq-3cx", 3, T, 3, null)));
        assertEquals("PBX source hq-3cx is back UP", formatter.subject(up()));
    }

    @Test
    void subjectWithoutNameUsesTheExtension() {
        assertEquals("201 is now BUSY: on a call",
                formatter.subject(changed("201", null, 1, ext("201", null).line(LineState.TALKING), "line")));
        assertEquals("New extension 208 (OFFLINE)", formatter.subject(PresenceEvent.extensionEvent(EventType.ADDED,
                "hq-3cx", "208", 1, T, null, ext("208", "  ").enabled(false).build(), null)));
    }

    @Test
    void subjectIsOneCappedLineWhateverThePbxSends() {
        PresenceEvent e = changed("201", "Alice\r\nBcc: victim@example.com", 1, ext("201", "Alice\r\nBcc: victim@example.com")
                .line(LineState.RINGING), "line");
        String subject = formatter.subject(e);
        assertEquals("201 Alice Bcc: victim@example.com is now BUSY: ringing", subject);
        PresenceEvent longError = PresenceEvent.sourceEvent(EventType.SOURCE_DOWN, "hq-3cx", 3, T, 3, "x".repeat(500));
        String capped = formatter.subject(longError);
        assertEquals(EventMailFormatter.DEFAULT_MAX_SUBJECT_LENGTH, capped.length());
        assertTrue(capped.endsWith("\u2026"));
        assertEquals(40, mails(new EventMailFormatter(ZoneId.of("UTC"), 40)).subject(longError).length());
    }

    // ------------------------------------------------------------------ bodies

    @Test
    void textListsChangesReasonsTimeAndId() {
        String text = formatter.text(busy());
        assertTrue(text.startsWith("201 Alice is now BUSY: on a call\n\n"), text);
        assertTrue(text.contains("  availability: AVAILABLE \u2192 BUSY\n"), text);
        assertTrue(text.contains("  acceptsCalls: yes \u2192 no\n"), text);
        assertTrue(text.contains("  line: IDLE \u2192 TALKING\n"), text);
        assertTrue(text.contains("  activeCalls: 0 \u2192 1\n"), text);
        assertTrue(text.contains("  reasons: (none) \u2192 on a call\n"), text);
        assertTrue(text.contains("Reasons: on a call\n"), text);
        assertTrue(text.contains("Time: 2026-11-22 10:15:45 UTC\n"), text);
        assertTrue(text.contains("Event id: hq-3cx:201:42 (pbx.presence.changed, sequence 42)\n"), text);
        // the lines appear in data.changed order
        assertTrue(text.indexOf("availability:") < text.indexOf("acceptsCalls:"));
        assertTrue(text.indexOf("line:") < text.indexOf("activeCalls:"));
    }

    @Test
    void textForOtherTypes() {
        String added = formatter.text(added());
        assertTrue(added.contains("State:\n"), added);
        assertTrue(added.contains("  name: Greta\n"), added);
        assertTrue(added.contains("  availability: AVAILABLE\n"), added);
        assertTrue(added.contains("Reasons: (none)\n"), added);
        String removed = formatter.text(removed());
        assertTrue(removed.contains("Last known state:\n"), removed);
        String down = formatter.text(down());
        assertTrue(down.contains("Failed polls: 3\n"), down);
        assertTrue(down.contains("Error: connect timed out\n"), down);
        assertTrue(down.contains("Event id: hq-3cx:-source:3 (pbx.source.down, sequence 3)\n"), down);
    }

    @Test
    void unknownAndUnrestrictedAreNotShownAsNone() {
        PresenceEvent e = changed("201", "Alice", 9, ext("201", "Alice").allowedCalls(java.util.EnumSet.noneOf(
                pbx.presence.model.CallClass.class)).dnd(true), "allowedCalls", "dnd");
        String text = formatter.text(e);
        assertTrue(text.contains("  allowedCalls: (not restricted) \u2192 (none)\n"), text);
        assertTrue(text.contains("  dnd: (unknown) \u2192 yes\n"), text);
        assertTrue(text.startsWith("201 Alice is now DND: do not disturb\n"), text);
    }

    @Test
    void timesAreShownInTheConfiguredZone() {
        String text = mails(new EventMailFormatter(ZoneId.of("Europe/Berlin"))).text(down());
        assertTrue(text.contains("Time: 2026-11-22 11:15:03 CET\n"), text);
    }

    private static Document parseXml(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void htmlEscapesEveryPbxValue() throws Exception {
        String evil = "<script>alert('x')</script> & \"Co\"";
        PresenceEvent e = changed("201", "Alice", 5, ext("201", evil).presenceLabel("<b>Lunch</b>")
                .presence(Presence.LUNCH).vendorStatus("note", "<img src=x onerror=alert(1)>"),
                "name", "presence", "presenceLabel", "vendorStatus");
        String html = formatter.html(e);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<b>Lunch"), html);
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;"), html);

        // well-formed, and the text the reader sees is exactly the raw value
        Document doc = parseXml(html);
        NodeList cells = doc.getElementsByTagName("td");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < cells.getLength(); i++) {
            texts.add(cells.item(i).getTextContent());
        }
        assertTrue(texts.contains(evil), texts.toString());
        assertTrue(texts.contains("<b>Lunch</b>"), texts.toString());
        assertEquals("201 " + evil + " is now AWAY: at lunch", doc.getElementsByTagName("h2").item(0).getTextContent());
        assertEquals(doc.getElementsByTagName("h2").item(0).getTextContent(),
                doc.getElementsByTagName("title").item(0).getTextContent());
    }

    @Test
    void htmlHasAChangeTable() throws Exception {
        Document doc = parseXml(formatter.html(busy()));
        NodeList rows = doc.getElementsByTagName("tbody").item(0).getChildNodes();
        List<String> firstCells = new ArrayList<>();
        for (int i = 0; i < rows.getLength(); i++) {
            if (rows.item(i).getNodeName().equals("tr")) {
                firstCells.add(rows.item(i).getFirstChild().getTextContent());
            }
        }
        assertEquals(List.of("availability", "acceptsCalls", "line", "activeCalls", "reasons"), firstCells);
        for (PresenceEvent other : List.of(added(), removed(), down(), up())) {
            parseXml(formatter.html(other));
        }
    }

    // ------------------------------------------------------------------ digest

    @Test
    void digestKeepsTheGivenOrder() throws Exception {
        List<PresenceEvent> events = List.of(busy(), away(), added(), down());
        assertEquals("PBX presence: 4 changes (201 Alice BUSY, 202 Bob AWAY, 207 Greta added, hq-3cx DOWN)",
                formatter.digestSubject(events));

        String text = formatter.digestText(events);
        String[] lines = text.split("\n");
        assertEquals("PBX presence: 4 changes", lines[0]);
        assertEquals("", lines[1]);
        assertEquals(6, lines.length, text);
        assertTrue(lines[2].contains("201 Alice is now BUSY: on a call"), lines[2]);
        assertTrue(lines[3].contains("202 Bob is now AWAY: out of office"), lines[3]);
        assertTrue(lines[4].contains("New extension 207 Greta (AVAILABLE)"), lines[4]);
        assertTrue(lines[5].contains("PBX source hq-3cx is DOWN: connect timed out"), lines[5]);
        assertTrue(lines[2].startsWith("2026-11-22 10:15:45 UTC"), lines[2]);

        String html = formatter.digestHtml(events);
        Document doc = parseXml(html);
        NodeList rows = doc.getElementsByTagName("tbody").item(0).getChildNodes();
        List<String> eventCells = new ArrayList<>();
        for (int i = 0; i < rows.getLength(); i++) {
            if (rows.item(i).getNodeName().equals("tr")) {
                eventCells.add(rows.item(i).getChildNodes().item(1).getTextContent());
            }
        }
        assertEquals(List.of("201 Alice is now BUSY: on a call", "202 Bob is now AWAY: out of office",
                "New extension 207 Greta (AVAILABLE)", "PBX source hq-3cx is DOWN: connect timed out"), eventCells);
        assertTrue(html.contains("availability: AVAILABLE \u2192 BUSY"), html);
    }

    @Test
    void digestSubjectIsCapped() {
        List<PresenceEvent> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String ext = String.valueOf(300 + i);
            many.add(changed(ext, "User " + i, i + 1, ext(ext, "User " + i).line(LineState.TALKING), "line"));
        }
        String subject = formatter.digestSubject(many);
        assertTrue(subject.startsWith("PBX presence: 30 changes (300 User 0 BUSY, 301 User 1 BUSY, "), subject);
        assertTrue(subject.endsWith(", \u2026)"), subject);
        assertTrue(subject.length() <= EventMailFormatter.DEFAULT_MAX_SUBJECT_LENGTH, subject);
        assertEquals("PBX presence: 1 change (201 Alice BUSY)", formatter.digestSubject(List.of(busy())));
        assertEquals("PBX presence: no changes", formatter.digestSubject(List.of()));
        assertEquals("PBX presence: 30 changes", mails(new EventMailFormatter(ZoneId.of("UTC"), 30)).digestSubject(many));
    }

    @Test
    void digestEscapesToo() throws Exception {
        PresenceEvent e = changed("201", "</td><script>", 1, ext("201", "</td><script>").line(LineState.TALKING), "name");
        String html = formatter.digestHtml(List.of(e, up()));
        assertFalse(html.contains("<script>"), html);
        parseXml(html);
    }
}
