package pbx.presence.delivery;

import pbx.presence.model.Availability;
import pbx.presence.model.Device;
import pbx.presence.model.EventType;
import pbx.presence.model.ExtensionPresence;
import pbx.presence.model.PresenceEvent;
import pbx.presence.model.Reason;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The data the e-mail templates show ({@link MailView} for one event, {@link DigestView} for a digest),
 * and the one-line headline of an event that subjects and log lines use (DESIGN.md "Sinks", E-mail).
 * Layout and wording around it live in the templates ({@link MailTemplates}).
 *
 * <p>Everything that comes from a PBX (names, labels, vendor fields, error texts) is untrusted: control
 * characters and line breaks are replaced by spaces in every value (so a name cannot add header or body
 * lines), long values are capped, and the HTML templates escape every value. Instances are immutable and
 * thread-safe.
 */
public final class EventMailFormatter {

    /** Default cap on subject length, in characters. */
    public static final int DEFAULT_MAX_SUBJECT_LENGTH = 120;
    /** Cap on one value shown in a body (vendor fields can be long). */
    static final int MAX_VALUE_LENGTH = 200;
    /** Cap on one item of a digest subject. */
    static final int MAX_DIGEST_ITEM_LENGTH = 40;
    private static final String ELLIPSIS = "\u2026";
    private static final String ARROW = " \u2192 ";
    private static final String NONE = "(none)";

    /** The fields a state summary shows for added and removed extensions. */
    private static final List<String> SUMMARY_FIELDS = List.of("name", "availability", "acceptsCalls", "presence",
            "presenceLabel", "chat", "dnd", "line", "activeCalls", "registration", "agent", "allowedCalls");

    private final int maxSubjectLength;
    private final DateTimeFormatter timeFormat;

    /** Times in UTC, subjects capped at {@value #DEFAULT_MAX_SUBJECT_LENGTH} characters. */
    public EventMailFormatter() {
        this(ZoneId.of("UTC"), DEFAULT_MAX_SUBJECT_LENGTH);
    }

    /** Times shown in {@code zone}. */
    public EventMailFormatter(ZoneId zone) {
        this(zone, DEFAULT_MAX_SUBJECT_LENGTH);
    }

    /**
     * @param zone the time zone times are shown in
     * @param maxSubjectLength cap on subject length in characters (at least 20)
     */
    public EventMailFormatter(ZoneId zone, int maxSubjectLength) {
        Objects.requireNonNull(zone, "zone");
        if (maxSubjectLength < 20) {
            throw new IllegalArgumentException("maxSubjectLength must be at least 20: " + maxSubjectLength);
        }
        this.maxSubjectLength = maxSubjectLength;
        this.timeFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT).withZone(zone);
    }

    /**
     * The one-line description of an event, capped at the subject length: "201 Alice is now BUSY: on a call",
     * "New extension 207 Greta (AVAILABLE)", "Extension 207 Greta removed",
     * "PBX source hq-3cx is DOWN: connect timed out", "PBX source hq-3cx is back UP". Also used in log lines.
     */
    public String headline(PresenceEvent e) {
        return truncate(fullHeadline(e), maxSubjectLength);
    }

    /** Cap on a mail subject, in characters. */
    public int maxSubjectLength() {
        return maxSubjectLength;
    }

    /** What the single-event templates show about {@code e}. */
    public MailView single(PresenceEvent e) {
        EventType type = typeOf(e);
        PresenceEvent.Data d = e.data();
        List<MailView.Change> changes = List.of();
        List<MailView.Field> stateRows = List.of();
        ExtensionPresence state = null;
        boolean changeTable = type == EventType.CHANGED && d != null;
        boolean stateTable = (type == EventType.ADDED || type == EventType.REMOVED) && d != null;
        if (changeTable) {
            List<MailView.Change> rows = new ArrayList<>();
            for (String field : changedNames(e)) {
                rows.add(new MailView.Change(field, fieldText(d.before(), field), fieldText(d.after(), field)));
            }
            changes = List.copyOf(rows);
            state = d.after() != null ? d.after() : d.before();
        } else if (stateTable) {
            state = type == EventType.ADDED ? d.after() : d.before();
            if (state != null) {
                List<MailView.Field> rows = new ArrayList<>();
                for (String field : SUMMARY_FIELDS) {
                    rows.add(new MailView.Field(field, fieldText(state, field)));
                }
                stateRows = List.copyOf(rows);
            }
        }
        ExtensionPresence shown = extensionState(e);
        Availability a = shown == null ? null : shown.availability();
        String reason = a != Availability.AVAILABLE && shown != null && !shown.reasons().isEmpty()
                ? value(shown.reasons().get(0).text()) : null;
        boolean sourceEvent = type == EventType.SOURCE_DOWN || type == EventType.SOURCE_UP;
        Integer failures = sourceEvent && d != null ? d.failures() : null;
        String error = sourceEvent && d != null && d.error() != null && !d.error().isBlank() ? value(d.error()) : null;
        return new MailView(fullHeadline(e), type == EventType.CHANGED, type == EventType.ADDED, type == EventType.REMOVED,
                type == EventType.SOURCE_DOWN, type == EventType.SOURCE_UP, type == null,
                label(e, shown), shown == null ? null : String.valueOf(a == null ? Availability.UNKNOWN : a), reason,
                changeTable, changes, stateTable, stateRows,
                state != null, state == null ? null : reasonsText(state.reasons()),
                state == null ? null : state.acceptsCalls() ? "yes" : "no",
                failures != null, failures == null ? null : String.valueOf(failures), error != null, error,
                clean(sourceId(e)), time(e.time()), clean(e.id()), clean(e.type()), e.sequence());
    }

    /** What the digest templates show about {@code events}, in the given order. */
    public DigestView digest(List<PresenceEvent> events) {
        Objects.requireNonNull(events, "events");
        List<DigestView.Item> items = new ArrayList<>(events.size());
        for (PresenceEvent e : events) {
            MailView mail = single(e);
            StringJoiner changes = new StringJoiner("; ");
            for (MailView.Change c : mail.changes()) {
                changes.add(c.field() + ": " + c.before() + ARROW + c.after());
            }
            List<String> changed = changedNames(e);
            items.add(new DigestView.Item(mail.time(), mail.headline(), truncate(brief(e), MAX_DIGEST_ITEM_LENGTH),
                    !changed.isEmpty(), String.join(", ", changed), changes.toString(), mail.id(), mail));
        }
        int n = events.size();
        return new DigestView(n, n == 0, n == 1, List.copyOf(items), false, List.of(), n > 0);
    }

    // ---------------------------------------------------------------- content

    /** The extension state an event is about: the new one, or the last known one when it is gone. */
    private static ExtensionPresence extensionState(PresenceEvent e) {
        PresenceEvent.Data d = e.data();
        EventType type = typeOf(e);
        if (d == null || type == null) {
            return null;
        }
        return switch (type) {
            case CHANGED -> d.after() != null ? d.after() : d.before();
            case ADDED -> d.after();
            case REMOVED -> d.before();
            default -> null;
        };
    }

    /** The untruncated one-line description of an event. */
    private String fullHeadline(PresenceEvent e) {
        EventType type = typeOf(e);
        if (type == null) {
            return "PBX presence event " + clean(e.type()) + " from " + clean(sourceId(e));
        }
        PresenceEvent.Data d = e.data();
        switch (type) {
            case CHANGED -> {
                ExtensionPresence p = d == null ? null : (d.after() != null ? d.after() : d.before());
                Availability a = p == null ? null : p.availability();
                String s = label(e, p) + " is now " + (a == null ? Availability.UNKNOWN : a);
                if (a != Availability.AVAILABLE && p != null && !p.reasons().isEmpty()) {
                    s += ": " + p.reasons().get(0).text();
                }
                return s;
            }
            case ADDED -> {
                ExtensionPresence p = d == null ? null : d.after();
                Availability a = p == null ? null : p.availability();
                return "New extension " + label(e, p) + " (" + (a == null ? Availability.UNKNOWN : a) + ")";
            }
            case REMOVED -> {
                return "Extension " + label(e, d == null ? null : d.before()) + " removed";
            }
            case SOURCE_DOWN -> {
                String error = d == null ? null : truncate(clean(d.error()), MAX_VALUE_LENGTH);
                return "PBX source " + clean(sourceId(e)) + " is DOWN" + (error == null || error.isEmpty() ? "" : ": " + error);
            }
            case SOURCE_UP -> {
                return "PBX source " + clean(sourceId(e)) + " is back UP";
            }
            default -> throw new IllegalStateException(type.name());
        }
    }

    /** A digest subject item: "201 Alice BUSY", "207 Greta added", "hq-3cx DOWN". */
    private String brief(PresenceEvent e) {
        EventType type = typeOf(e);
        PresenceEvent.Data d = e.data();
        if (type == null) {
            return clean(e.type());
        }
        return switch (type) {
            case CHANGED -> {
                ExtensionPresence p = d == null ? null : (d.after() != null ? d.after() : d.before());
                Availability a = p == null ? null : p.availability();
                yield label(e, p) + " " + (a == null ? Availability.UNKNOWN : a);
            }
            case ADDED -> label(e, d == null ? null : d.after()) + " added";
            case REMOVED -> label(e, d == null ? null : d.before()) + " removed";
            case SOURCE_DOWN -> clean(sourceId(e)) + " DOWN";
            case SOURCE_UP -> clean(sourceId(e)) + " UP";
        };
    }

    /** "201 Alice", or "201" without a name. */
    private static String label(PresenceEvent e, ExtensionPresence p) {
        String extension = clean(p != null ? p.extension() : e.subject());
        String name = p == null ? null : clean(p.name());
        String ext = extension == null || extension.isEmpty() ? "?" : extension;
        return name == null || name.isEmpty() ? ext : ext + " " + name;
    }

    private static EventType typeOf(PresenceEvent e) {
        try {
            return e.type() == null ? null : EventType.fromWire(e.type());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static String sourceId(PresenceEvent e) {
        if (e.data() != null && e.data().sourceId() != null) {
            return e.data().sourceId();
        }
        String source = e.source();
        if (source == null) {
            return "?";
        }
        return source.startsWith(PresenceEvent.SOURCE_PREFIX) ? source.substring(PresenceEvent.SOURCE_PREFIX.length()) : source;
    }

    private static List<String> changedNames(PresenceEvent e) {
        if (e.data() == null || e.data().changed() == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(e.data().changed().size());
        for (String name : e.data().changed()) {
            names.add(clean(name));
        }
        return names;
    }

    // ---------------------------------------------------------------- values

    private String fieldText(ExtensionPresence p, String field) {
        if (p == null) {
            return NONE;
        }
        if (!PresenceFields.isField(field)) {
            return "?";
        }
        Object v = PresenceFields.value(p, field);
        if (v == null && "allowedCalls".equals(field)) {
            return "(not restricted)"; // null: the vendor has no such concept; an empty set blocks everything
        }
        if (v == null && PresenceFields.type(field) == Boolean.class) {
            return "(unknown)";
        }
        return value(v);
    }

    /** A value as one cleaned, capped line of text. */
    private String value(Object v) {
        return truncate(clean(render(v)), MAX_VALUE_LENGTH);
    }

    private String render(Object v) {
        if (v == null) {
            return NONE;
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (v instanceof Instant i) {
            return time(i);
        }
        if (v instanceof Reason r) {
            return r.text();
        }
        if (v instanceof Enum<?> en) {
            return en.name();
        }
        if (v instanceof Device dev) {
            StringBuilder b = new StringBuilder(dev.id() == null ? "device" : dev.id());
            if (dev.userAgent() != null && !dev.userAgent().isBlank()) {
                b.append(" (").append(dev.userAgent()).append(')');
            }
            if (dev.online() != null) {
                b.append(dev.knownOnline() ? " online" : " offline");
            }
            if (dev.knownDnd()) {
                b.append(" dnd");
            }
            return b.toString();
        }
        if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                return NONE;
            }
            StringJoiner j = new StringJoiner(", ");
            for (Object o : c) {
                j.add(render(o));
            }
            return j.toString();
        }
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return NONE;
            }
            StringJoiner j = new StringJoiner(", ");
            for (Map.Entry<?, ?> en : m.entrySet()) {
                j.add(en.getKey() + "=" + (en.getValue() == null ? "null" : render(en.getValue())));
            }
            return j.toString();
        }
        return String.valueOf(v);
    }

    private static String reasonsText(List<Reason> reasons) {
        if (reasons == null || reasons.isEmpty()) {
            return NONE;
        }
        StringJoiner j = new StringJoiner(", ");
        for (Reason r : reasons) {
            j.add(r.text());
        }
        return j.toString();
    }

    private String time(Instant t) {
        return t == null ? "(unknown)" : timeFormat.format(t);
    }

    /**
     * Untrusted text as one line: control characters, line and paragraph separators become spaces,
     * runs of whitespace collapse, ends are trimmed. Null stays null.
     */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean blank = Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || c == '\u2028' || c == '\u2029';
            if (blank) {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code s} cut to at most {@code max} characters, ending in "…" when cut; never splits a surrogate pair. */
    static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int cut = max - 1;
        if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + ELLIPSIS;
    }
}
