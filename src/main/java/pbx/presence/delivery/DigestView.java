package pbx.presence.delivery;

import java.util.List;

/**
 * What the digest templates ({@code templates/digest-*.mustache}) show: the count and one item per
 * event in arrival order. {@code shown} is the part of the list the subject has room for; the renderer
 * ({@link MailTemplates}) picks the longest one that keeps the rendered subject within its cap, and
 * {@code more} says that some were left out.
 *
 * @param count  number of events
 * @param none   no events
 * @param one    exactly one event
 * @param events every event, in order
 * @param shown  the events named in the subject (their {@code brief}), a prefix of {@code events}
 * @param more   {@code shown} leaves events out
 */
public record DigestView(int count, boolean none, boolean one, List<Item> events, boolean hasShown, List<Shown> shown,
                         boolean more) {

    /**
     * One event of the digest.
     *
     * @param brief      a short subject item: "201 Alice BUSY", "207 Greta added", "hq-3cx DOWN"
     * @param changed    the changed field names, comma-separated
     * @param changes    "field: before → after; …" for an extension change, else ""
     */
    public record Item(String time, String headline, String brief, boolean hasChanged, String changed, String changes,
                       String id, MailView mail) {
    }

    /** A subject item; {@code first} lets a template put separators between items. */
    public record Shown(String brief, boolean first) {
    }

    /** This digest with the first {@code n} events named in the subject. */
    public DigestView showing(int n) {
        List<Shown> s = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            s.add(new Shown(events.get(i).brief(), i == 0));
        }
        return new DigestView(count, none, one, events, n > 0, List.copyOf(s), n < events.size());
    }
}
