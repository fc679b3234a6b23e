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
 * Readable e-mail subjects and bodies (plain text and HTML) for {@link PresenceEvent}s, one event or a
 * digest of several (DESIGN.md "Sinks", E-mail).
 *
 * <p>Everything that comes from a PBX (names, labels, vendor fields, error texts) is untrusted: control
 * characters and line breaks are replaced by spaces everywhere (so a name cannot add header or body
 * lines), and every value in the HTML is escaped. Subjects are capped at a configurable length.
 * Instances are immutable and thread-safe.
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

    // ---------------------------------------------------------------- single event

    /**
     * One line: "201 Alice is now BUSY: on a call", "201 Alice is now AVAILABLE",
     * "New extension 207 Greta (AVAILABLE)", "Extension 207 Greta removed",
     * "PBX source hq-3cx is DOWN: connect timed out", "PBX source hq-3cx is back UP".
     */
    public String subject(PresenceEvent e) {
        return truncate(headline(e), maxSubjectLength);
    }

    /** Plain-text body: the subject, what changed (field: before → after), reasons, time and event id. */
    public String text(PresenceEvent e) {
        Summary s = summarize(e);
        StringBuilder b = new StringBuilder(512);
        b.append(s.headline).append("\n\n");
        if (s.table != null) {
            b.append(s.table.title).append(":\n");
            if (s.table.rows.isEmpty()) {
                b.append("  ").append(NONE).append('\n');
            }
            for (List<String> row : s.table.rows) {
                b.append("  ").append(row.get(0)).append(": ").append(String.join(ARROW, row.subList(1, row.size())))
                        .append('\n');
            }
            b.append('\n');
        }
        for (String[] fact : s.facts) {
            b.append(fact[0]).append(": ").append(fact[1]).append('\n');
        }
        return b.toString();
    }

    /** HTML body: the same content as {@link #text}, every value escaped, changes as a table. */
    public String html(PresenceEvent e) {
        Summary s = summarize(e);
        StringBuilder b = new StringBuilder(2048);
        openHtml(b, s.headline);
        b.append("<h2 style=\"font-size:18px;margin:0 0 12px 0;\">").append(escape(s.headline)).append("</h2>\n");
        if (s.table != null) {
            b.append("<p style=\"margin:0 0 4px 0;\"><b>").append(escape(s.table.title)).append("</b></p>\n");
            table(b, s.table.header, s.table.rows);
        }
        b.append("<table style=\"border-collapse:collapse;margin-top:12px;\">\n");
        for (String[] fact : s.facts) {
            b.append("<tr><th style=\"text-align:left;padding:2px 12px 2px 0;vertical-align:top;\">")
                    .append(escape(fact[0])).append("</th><td style=\"padding:2px 0;\">").append(escape(fact[1]))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        closeHtml(b);
        return b.toString();
    }

    // ---------------------------------------------------------------- digest

    /**
     * "PBX presence: 7 changes (201 Alice BUSY, 202 Bob AWAY, …)": the count and as many short items,
     * in the given order, as fit in the subject length cap.
     */
    public String digestSubject(List<PresenceEvent> events) {
        Objects.requireNonNull(events, "events");
        String head = digestHead(events);
        if (events.isEmpty()) {
            return truncate(head, maxSubjectLength);
        }
        StringBuilder items = new StringBuilder();
        int shown = 0;
        for (PresenceEvent e : events) {
            String item = truncate(brief(e), MAX_DIGEST_ITEM_LENGTH);
            String candidate = items.length() == 0 ? item : items + ", " + item;
            boolean last = shown + 1 == events.size();
            // room for " (" + items + ")" and, unless this is the last item, ", …"
            int needed = head.length() + 2 + candidate.length() + 1 + (last ? 0 : 3);
            if (needed > maxSubjectLength) {
                break;
            }
            items.setLength(0);
            items.append(candidate);
            shown++;
        }
        if (shown == 0) {
            return truncate(head, maxSubjectLength);
        }
        if (shown < events.size()) {
            items.append(", ").append(ELLIPSIS);
        }
        return head + " (" + items + ")";
    }

    /** Plain-text digest: a heading, then one line per event in the given order. */
    public String digestText(List<PresenceEvent> events) {
        Objects.requireNonNull(events, "events");
        StringBuilder b = new StringBuilder(128 + events.size() * 120);
        b.append(digestHead(events)).append("\n\n");
        for (PresenceEvent e : events) {
            b.append(time(e.time())).append("  ").append(headline(e));
            List<String> changed = changedNames(e);
            if (!changed.isEmpty()) {
                b.append("  [changed: ").append(String.join(", ", changed)).append(']');
            }
            b.append("  (event ").append(clean(e.id())).append(")\n");
        }
        return b.toString();
    }

    /** HTML digest: a heading and a table with one row per event in the given order. */
    public String digestHtml(List<PresenceEvent> events) {
        Objects.requireNonNull(events, "events");
        String head = digestHead(events);
        StringBuilder b = new StringBuilder(1024 + events.size() * 400);
        openHtml(b, head);
        b.append("<h2 style=\"font-size:18px;margin:0 0 12px 0;\">").append(escape(head)).append("</h2>\n");
        List<List<String>> rows = new ArrayList<>(events.size());
        for (PresenceEvent e : events) {
            Summary s = summarize(e);
            StringJoiner changes = new StringJoiner("; ");
            if (s.table != null && s.table.header.size() == 3) {
                for (List<String> row : s.table.rows) {
                    changes.add(row.get(0) + ": " + row.get(1) + ARROW + row.get(2));
                }
            }
            rows.add(List.of(time(e.time()), s.headline, changes.toString(), clean(e.id())));
        }
        table(b, List.of("Time", "Event", "Changes", "Event id"), rows);
        closeHtml(b);
        return b.toString();
    }

    // ---------------------------------------------------------------- content

    private static final class Table {
        final String title;
        final List<String> header;
        final List<List<String>> rows = new ArrayList<>();

        Table(String title, List<String> header) {
            this.title = title;
            this.header = header;
        }
    }

    private static final class Summary {
        final String headline;
        final Table table;
        final List<String[]> facts = new ArrayList<>();

        Summary(String headline, Table table) {
            this.headline = headline;
            this.table = table;
        }
    }

    private Summary summarize(PresenceEvent e) {
        EventType type = typeOf(e);
        PresenceEvent.Data d = e.data();
        Summary s;
        ExtensionPresence state = null;
        if (type == EventType.CHANGED && d != null) {
            Table t = new Table("What changed", List.of("Field", "Before", "After"));
            for (String field : changedNames(e)) {
                t.rows.add(List.of(field, fieldText(d.before(), field), fieldText(d.after(), field)));
            }
            s = new Summary(headline(e), t);
            state = d.after() != null ? d.after() : d.before();
        } else if ((type == EventType.ADDED || type == EventType.REMOVED) && d != null) {
            state = type == EventType.ADDED ? d.after() : d.before();
            Table t = new Table(type == EventType.ADDED ? "State" : "Last known state", List.of("Field", "Value"));
            if (state != null) {
                for (String field : SUMMARY_FIELDS) {
                    t.rows.add(List.of(field, fieldText(state, field)));
                }
            }
            s = new Summary(headline(e), t);
        } else {
            s = new Summary(headline(e), null);
            if (d != null && d.failures() != null) {
                s.facts.add(new String[] {"Failed polls", String.valueOf(d.failures())});
            }
            if (d != null && d.error() != null && !d.error().isBlank()) {
                s.facts.add(new String[] {"Error", value(d.error())});
            }
        }
        if (state != null) {
            s.facts.add(new String[] {"Reasons", reasonsText(state.reasons())});
            s.facts.add(new String[] {"Accepts calls", state.acceptsCalls() ? "yes" : "no"});
        }
        s.facts.add(new String[] {"Source", clean(sourceId(e))});
        s.facts.add(new String[] {"Time", time(e.time())});
        s.facts.add(new String[] {"Event id", clean(e.id()) + " (" + clean(e.type()) + ", sequence " + e.sequence() + ")"});
        return s;
    }

    /** The untruncated one-line description of an event. */
    private String headline(PresenceEvent e) {
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

    private static String digestHead(List<PresenceEvent> events) {
        int n = events.size();
        return n == 0 ? "PBX presence: no changes" : "PBX presence: " + n + (n == 1 ? " change" : " changes");
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

    // ---------------------------------------------------------------- HTML

    /** Escapes text for HTML element content and quoted attribute values (the output is also well-formed XML). */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static void openHtml(StringBuilder b, String title) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\" />\n<title>")
                .append(escape(title)).append("</title>\n</head>\n")
                .append("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;\">\n");
    }

    private static void closeHtml(StringBuilder b) {
        b.append("<p style=\"color:#888;font-size:12px;margin-top:16px;\">PBX Presence Router</p>\n</body>\n</html>\n");
    }

    private static void table(StringBuilder b, List<String> header, List<List<String>> rows) {
        String cell = "border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;";
        b.append("<table style=\"border-collapse:collapse;\">\n<thead><tr>");
        for (String h : header) {
            b.append("<th style=\"").append(cell).append("background:#f3f3f3;\">").append(escape(h)).append("</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        if (rows.isEmpty()) {
            b.append("<tr><td style=\"").append(cell).append("\" colspan=\"").append(header.size()).append("\">")
                    .append(escape(NONE)).append("</td></tr>\n");
        }
        for (List<String> row : rows) {
            b.append("<tr>");
            for (String v : row) {
                b.append("<td style=\"").append(cell).append("\">").append(escape(v)).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }
}
