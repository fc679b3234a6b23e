package pbx.presence.change;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.model.Availability;
import pbx.presence.model.CallClass;
import pbx.presence.model.Device;
import pbx.presence.model.Dimension;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.Json;
import pbx.presence.model.Presence;
import pbx.presence.model.PresenceEvent;
import pbx.presence.model.Reason;
import pbx.presence.model.Registration;
import pbx.presence.store.JdbcEventStore;
import pbx.presence.store.Stores;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The detector keeps only a fingerprint per extension in memory (issue 13 item 2): every significant
 * field still makes an event, built from the full previous state read back from the real embedded
 * store, byte for byte the event a comparison of whole records made; an insignificant change makes none;
 * a poll with nothing changed reads nothing from the store.
 */
class ChangeDetectorDigestTest {

    private static final String SOURCE = "hq";
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    private JdbcEventStore jdbc;
    private CountingStore store;

    @BeforeEach
    void open() {
        jdbc = Stores.embedded(dir.resolve("presence.db"));
        store = new CountingStore(jdbc);
    }

    @AfterEach
    void close() {
        jdbc.close();
    }

    /** An extension with every field set, and a raw vendorStatus of several JSON types, nested. */
    private static ExtensionPresence base(String extension) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("status", "online");
        raw.put("calls", 0);
        raw.put("big", 12_345_678_901L);
        raw.put("ratio", 2.5);
        raw.put("flag", true);
        raw.put("nested", Map.of("list", List.of(1, "two", false)));
        return new ExtensionPresence(SOURCE, "3cx-callcontrol", extension, "id-" + extension, "Ann " + extension, true,
                Presence.AVAILABLE, "Available", false, pbx.presence.model.ChatStatus.ONLINE, pbx.presence.model.LineState.IDLE,
                0, true, Registration.REGISTERED, List.of(new Device("d1", "Yealink T54W", true, false, T0.plusSeconds(3600))),
                pbx.presence.model.AgentState.LOGGED_IN, List.of("800", "801"), EnumSet.of(CallClass.INT_IN, CallClass.EXT_IN), true,
                Set.of(), Availability.AVAILABLE, true, List.of(), raw, T0);
    }

    /** The record with one component replaced, through the canonical constructor. */
    private static ExtensionPresence with(ExtensionPresence p, String component, UnaryOperator<Object> change) throws Exception {
        RecordComponent[] cs = ExtensionPresence.class.getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            Object v = cs[i].getAccessor().invoke(p);
            args[i] = cs[i].getName().equals(component) ? change.apply(v) : v;
        }
        return ExtensionPresence.class.getDeclaredConstructor(types).newInstance(args);
    }

    /** A different value of each component; a component added to the record fails here until the test says how to vary it. */
    private static Object vary(RecordComponent c, Object v) {
        Class<?> t = c.getType();
        if (t == String.class) {
            return v == null ? "x" : v + "-changed";
        } else if (t == boolean.class || t == Boolean.class) {
            return v == null ? Boolean.TRUE : !(Boolean) v;
        } else if (t == int.class) {
            return (Integer) v + 1;
        } else if (t.isEnum()) {
            Object[] all = t.getEnumConstants();
            return all[(((Enum<?>) v).ordinal() + 1) % all.length];
        } else if (t == Instant.class) {
            return ((Instant) v).plusSeconds(60);
        }
        return switch (c.getName()) {
            case "devices" -> List.of(new Device("d1", "Yealink T54W", false, false, T0.plusSeconds(3600)));
            case "queues" -> List.of("801", "800");
            case "allowedCalls" -> EnumSet.of(CallClass.INT_IN);
            case "unrecognised" -> EnumSet.of(Dimension.PRESENCE);
            case "reasons" -> List.of(Reason.ON_CALL);
            case "vendorStatus" -> Map.of("status", "online", "seen", "12:01");
            default -> throw new AssertionError("ExtensionPresence has a new component " + c.getName()
                    + ": say in this test how to vary it, and whether PresenceDiff and PresenceDigest compare it");
        };
    }

    @Test
    void everySignificantFieldMakesAnEventAndNothingElseDoes() throws Exception {
        Map<String, ExtensionPresence> before = new LinkedHashMap<>();
        Map<String, ExtensionPresence> after = new LinkedHashMap<>();
        for (RecordComponent c : ExtensionPresence.class.getRecordComponents()) {
            if (c.getName().equals("source") || c.getName().equals("extension")) {
                continue; // the identity, not a field of it
            }
            ExtensionPresence b = base("x-" + c.getName());
            before.put(b.extension(), b);
            after.put(b.extension(), with(b, c.getName(), v -> vary(c, v)));
        }
        // within the devices: only the expiry time is not compared
        ExtensionPresence d = base("x-device-expiry");
        before.put(d.extension(), d);
        after.put(d.extension(), with(d, "devices", v -> List.of(new Device("d1", "Yealink T54W", true, false, T0.plusSeconds(7200)))));
        for (String what : List.of("id", "userAgent", "dnd")) {
            ExtensionPresence b = base("x-device-" + what);
            before.put(b.extension(), b);
            after.put(b.extension(), with(b, "devices", v -> List.of(new Device(what.equals("id") ? "d2" : "d1",
                    what.equals("userAgent") ? "Snom D785" : "Yealink T54W", true, what.equals("dnd"), T0.plusSeconds(3600)))));
        }
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        assertTrue(detector.onSnapshot(SOURCE, List.copyOf(before.values()), T0).isEmpty(), "a silent baseline");

        store.reset();
        Instant t1 = T0.plusSeconds(10);
        List<PresenceEvent> events = detector.onSnapshot(SOURCE, List.copyOf(after.values()), t1);

        List<String> significant = new ArrayList<>();
        Map<String, PresenceEvent> bySubject = new LinkedHashMap<>();
        events.forEach(e -> bySubject.put(e.subject(), e));
        for (String ext : before.keySet()) {
            List<String> changed = PresenceDiff.changedFields(before.get(ext), after.get(ext));
            PresenceEvent e = bySubject.get(ext);
            if (changed.isEmpty()) {
                assertNull(e, ext + " changed nothing significant, yet: " + e);
                continue;
            }
            significant.add(ext);
            assertTrue(e != null, ext + " changed " + changed + " but made no event");
            // exactly the event the comparison of whole records in memory made, with the full raw before
            PresenceEvent expected = PresenceEvent.extensionEvent(EventType.CHANGED, SOURCE, ext, 1, t1, before.get(ext),
                    after.get(ext), changed);
            assertEquals(Json.MAPPER.writeValueAsString(expected), Json.MAPPER.writeValueAsString(e));
        }
        assertEquals(significant.size(), events.size());
        assertTrue(significant.size() >= 22, "19 significant fields and 3 device facts, was " + significant);
        for (String insignificant : List.of("x-vendor", "x-unrecognised", "x-vendorStatus", "x-observedAt", "x-device-expiry")) {
            assertTrue(!significant.contains(insignificant), insignificant);
        }
        assertEquals(List.of(Set.copyOf(significant)), store.extensionReads.stream().map(Set::copyOf).toList(),
                "one read, of exactly the extensions whose significant fields changed");

        // the next poll with the same significant state (raw fields and times moved again) reads nothing
        store.reset();
        List<ExtensionPresence> again = new ArrayList<>();
        for (ExtensionPresence p : after.values()) {
            again.add(with(with(p, "observedAt", v -> T0.plusSeconds(20)), "vendorStatus", v -> Map.of("seen", "12:02")));
        }
        assertTrue(detector.onSnapshot(SOURCE, again, T0.plusSeconds(20)).isEmpty());
        assertEquals(0, store.scans + store.extensionReads.size() + store.commits, "no read, no write");
    }

    private static List<ExtensionPresence> extensions(int n, int busyEvery) throws Exception {
        List<ExtensionPresence> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ExtensionPresence p = base(Integer.toString(1000 + i));
            if (busyEvery > 0 && i % busyEvery == 0) {
                p = with(p, "activeCalls", v -> 1);
            }
            out.add(p);
        }
        return out;
    }

    @Test
    void aPollWithNothingChangedReadsNothingAndOneWithChangesReadsOnlyThose() throws Exception {
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.onSnapshot(SOURCE, extensions(500, 0), T0);
        assertEquals(1, store.scans, "the state is read once, before the baseline");

        store.reset();
        for (int poll = 1; poll <= 3; poll++) {
            assertTrue(detector.onSnapshot(SOURCE, extensions(500, 0), T0.plusSeconds(poll)).isEmpty());
        }
        assertEquals(0, store.scans + store.extensionReads.size() + store.commits, "three polls with nothing changed: no read, no write");

        store.reset();
        List<PresenceEvent> events = detector.onSnapshot(SOURCE, extensions(500, 100), T0.plusSeconds(5));
        assertEquals(List.of("1000", "1100", "1200", "1300", "1400"), events.stream().map(PresenceEvent::subject).toList());
        assertEquals(List.of(List.of("1000", "1100", "1200", "1300", "1400")), store.extensionReads);
        assertEquals(1, store.commits);
    }

    @Test
    void aRestartedDetectorRebuildsItsFingerprintsFromTheStore() throws Exception {
        ChangeDetector first = new ChangeDetector(store, 3, false);
        List<ExtensionPresence> all = extensions(50, 0);
        first.onSnapshot(SOURCE, all, T0);
        ExtensionPresence changed = with(all.get(3), "name", v -> "Bob");
        List<ExtensionPresence> second = new ArrayList<>(all);
        second.set(3, changed);
        second.remove(7); // 1007 removed
        assertEquals(2, first.onSnapshot(SOURCE, second, T0.plusSeconds(1)).size());

        // a new process on the same store
        store.reset();
        ChangeDetector restarted = new ChangeDetector(store, 3, false);
        assertTrue(restarted.onSnapshot(SOURCE, second, T0.plusSeconds(2)).isEmpty(), "nothing changed while it was down");
        assertEquals(1, store.scans);
        assertEquals(List.of(), store.extensionReads, "fingerprints rebuilt from the stored rows: nothing read again");

        List<ExtensionPresence> third = new ArrayList<>(all); // 1003 back to its name, 1007 returns, 1012 removed
        ExtensionPresence gone = third.remove(12);
        List<PresenceEvent> events = restarted.onSnapshot(SOURCE, third, T0.plusSeconds(3));
        Map<String, PresenceEvent> bySubject = new LinkedHashMap<>();
        events.forEach(e -> bySubject.put(e.subject(), e));
        assertEquals(Set.of("1003", "1007", "1012"), bySubject.keySet());
        PresenceEvent back = bySubject.get("1003");
        assertEquals(Json.MAPPER.writeValueAsString(PresenceEvent.extensionEvent(EventType.CHANGED, SOURCE, "1003", 2,
                T0.plusSeconds(3), changed, all.get(3), List.of("name"))), Json.MAPPER.writeValueAsString(back));
        PresenceEvent returned = bySubject.get("1007");
        assertEquals("pbx.extension.added", returned.type());
        assertEquals(2, returned.sequence(), "a returning extension continues its sequence after the restart");
        PresenceEvent removed = bySubject.get("1012");
        assertEquals(Json.MAPPER.writeValueAsString(PresenceEvent.extensionEvent(EventType.REMOVED, SOURCE, "1012", 1,
                T0.plusSeconds(3), gone, null, List.of())), Json.MAPPER.writeValueAsString(removed));
        assertEquals(Set.of("1003", "1012"), new HashSet<>(store.extensionReads.get(0)),
                "only the changed and the removed are read; an added one needs no previous state");
    }

    @Test
    void devicesLearnedFromAnOlderReleaseAreRecordedSilentlyThenCompared() throws Exception {
        ExtensionPresence old = with(base("201"), "devices", v -> List.of(new Device("d1", "Yealink T54W", null, null, null)));
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        detector.onSnapshot(SOURCE, List.of(old), T0);
        ExtensionPresence learned = base("201");
        assertTrue(detector.onSnapshot(SOURCE, List.of(learned), T0.plusSeconds(1)).isEmpty(), "learning online/dnd is no event");
        ExtensionState stored = jdbc.loadExtensions(SOURCE, List.of("201")).get("201");
        assertEquals(0, stored.sequence());
        assertEquals(Boolean.TRUE, stored.last().devices().get(0).online(), "what is now known was recorded");

        ChangeDetector restarted = new ChangeDetector(store, 3, false);
        assertTrue(restarted.onSnapshot(SOURCE, List.of(learned), T0.plusSeconds(2)).isEmpty());
        ExtensionPresence offline = with(learned, "devices", v -> List.of(new Device("d1", "Yealink T54W", false, false, null)));
        List<PresenceEvent> events = restarted.onSnapshot(SOURCE, List.of(offline), T0.plusSeconds(3));
        assertEquals(1, events.size());
        assertEquals(List.of("devices"), events.get(0).data().changed());
        assertEquals(Boolean.TRUE, events.get(0).data().before().devices().get(0).online());
        assertEquals(1, events.get(0).sequence());
    }

    @Test
    void anExtensionReplacedByANewOneInTheSamePollIsStillReportedRemoved() throws Exception {
        // the poll lists as many extensions as before, one of them new: the count alone must not hide the removal
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        List<ExtensionPresence> all = extensions(10, 0);
        detector.onSnapshot(SOURCE, all, T0);
        List<ExtensionPresence> swapped = new ArrayList<>(all);
        swapped.set(5, base("2000"));
        List<PresenceEvent> events = detector.onSnapshot(SOURCE, swapped, T0.plusSeconds(1));
        assertEquals(List.of("pbx.extension.added 2000", "pbx.extension.removed 1005"),
                events.stream().map(e -> e.type() + " " + e.subject()).toList());
        assertTrue(detector.onSnapshot(SOURCE, swapped, T0.plusSeconds(2)).isEmpty(), "nothing changed since");

        // 1005 returns while 2000 and 1009 leave: again as many listed as known
        List<ExtensionPresence> back = new ArrayList<>(all.subList(0, 9));
        events = detector.onSnapshot(SOURCE, back, T0.plusSeconds(3));
        assertEquals(List.of("pbx.extension.added 1005", "pbx.extension.removed 2000", "pbx.extension.removed 1009"),
                events.stream().map(e -> e.type() + " " + e.subject()).toList());
        assertEquals(2, events.get(0).sequence(), "1005 continues its sequence after its tombstone (silent baseline 0, removed 1)");
        assertTrue(detector.onSnapshot(SOURCE, back, T0.plusSeconds(4)).isEmpty());
    }

    @Test
    void snapshotOfReadsTheStore() throws Exception {
        ChangeDetector detector = new ChangeDetector(store, 3, false);
        List<ExtensionPresence> all = extensions(5, 0);
        detector.onSnapshot(SOURCE, all, T0);
        detector.onSnapshot(SOURCE, all.subList(0, 4), T0.plusSeconds(1));
        List<ExtensionPresence> known = new ArrayList<>(detector.snapshotOf(SOURCE));
        known.sort(java.util.Comparator.comparing(ExtensionPresence::extension));
        assertEquals(all.subList(0, 4), known, "the removed one is left out; the others are whole, vendorStatus included");
        if (!known.get(0).vendorStatus().containsKey("nested")) {
            fail("the raw vendorStatus was not kept");
        }
    }
}
