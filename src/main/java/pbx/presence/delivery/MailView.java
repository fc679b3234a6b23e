package pbx.presence.delivery;

import java.util.List;

/**
 * What the single-event mail templates ({@code templates/email-*.mustache}) show about one event.
 * Every text is one cleaned line (no control characters or line breaks; long values capped); the HTML
 * template escapes it. Booleans select the parts that apply: exactly one of the event-type flags is
 * true. Built by {@link EventMailFormatter#single}.
 *
 * @param headline       one line: "201 Alice is now BUSY: on a call", "PBX source hq-3cx is DOWN: …"
 * @param label          "201 Alice", or "201" without a name
 * @param availability   the extension's availability after the event (extension events)
 * @param reason         the first reason when not AVAILABLE, else null
 * @param changes        "What changed" rows (extension changed), in {@code data.changed} order
 * @param state          the state rows (extension added: the new state; removed: the last known one)
 * @param reasons        all reasons as one line, "(none)" when there are none (extension events)
 * @param acceptsCalls   "yes" or "no" (extension events)
 * @param failures       failed polls in a row (source events), else null
 * @param error          the poll error text (source down), else null
 */
public record MailView(String headline, boolean extensionChanged, boolean extensionAdded, boolean extensionRemoved,
                       boolean sourceDown, boolean sourceUp, boolean otherType, String label, String availability,
                       String reason, boolean hasChanges, List<Change> changes, boolean hasState, List<Field> state,
                       boolean hasStateFacts, String reasons, String acceptsCalls, boolean hasFailures, String failures,
                       boolean hasError, String error, String source, String time, String id, String type, long sequence) {

    /** One "What changed" row. */
    public record Change(String field, String before, String after) {
    }

    /** One state row. */
    public record Field(String field, String value) {
    }
}
