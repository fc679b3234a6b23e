package pbx.presence.connector.telphin;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.model.LineState;
import pbx.presence.connector.LenientJson;
import pbx.presence.connector.PayloadException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code GET client/{client_id}/current_calls/} (Telphin's public API documentation, beyond
 * seed 003): an array of calls with {@code extension_id}, {@code call_flow} ({@code in} / {@code out}),
 * {@code answer_time_gmt} and {@code real_call}.
 *
 * <p>ASSUMED: a call with an {@code answer_time_gmt} is being talked; one without is ringing when
 * {@code in} and dialling when {@code out}. {@code real_call=false} (assigned to the extension but no
 * dialog, e.g. forwarded to a mobile) does not occupy the line. An extension in no call is IDLE.
 */
final class TelphinCalls {

    private static final String WHAT = "current calls";

    /** The calls of one extension; {@code unrecognisedFlow}: some call had an undocumented call_flow. */
    record Summary(int count, LineState line, boolean unrecognisedFlow) {
        static final Summary IDLE = new Summary(0, LineState.IDLE, false);
    }

    private TelphinCalls() {
    }

    /** extension id → its calls; extensions without calls are absent (IDLE). */
    static Map<String, Summary> read(JsonNode root, Consumer<String> unknownFlow) {
        JsonNode list = root.isObject() && root.path("data").isArray() ? root.get("data") : root;
        if (!list.isArray()) {
            throw new PayloadException(WHAT + ": " + LenientJson.kind(root) + ", expected a JSON array of calls");
        }
        Map<String, Summary> out = new HashMap<>();
        int i = 0;
        for (JsonNode c : list) {
            if (!c.isObject()) {
                throw new PayloadException(WHAT + ": element " + i + " is " + LenientJson.kind(c) + ", expected a call object");
            }
            i++;
            String ext = TelphinJson.id(c.get("extension_id"));
            if (ext == null || Boolean.FALSE.equals(LenientJson.bool(c.get("real_call")))) {
                continue;
            }
            String flow = LenientJson.text(c.get("call_flow"));
            LineState line = lineOf(c, unknownFlow);
            boolean unrecognised = line == LineState.BUSY && flow != null;
            out.merge(ext, new Summary(1, line, unrecognised), (a, b) -> new Summary(a.count() + b.count(),
                    busier(a.line(), b.line()), a.unrecognisedFlow() || b.unrecognisedFlow()));
        }
        return out;
    }

    private static LineState lineOf(JsonNode call, Consumer<String> unknownFlow) {
        String answered = LenientJson.text(call.get("answer_time_gmt"));
        if (answered != null && !answered.isEmpty()) {
            return LineState.TALKING;
        }
        String flow = LenientJson.text(call.get("call_flow"));
        String f = flow == null ? "" : flow.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "in" -> LineState.RINGING;
            case "out" -> LineState.DIALING;
            default -> {
                if (flow != null) {
                    unknownFlow.accept(flow);
                }
                yield LineState.BUSY;
            }
        };
    }

    /** The state that says most about how occupied the line is. */
    private static LineState busier(LineState a, LineState b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(LineState s) {
        return switch (s) {
            case TALKING -> 5;
            case HOLD -> 4;
            case RINGING -> 3;
            case DIALING -> 2;
            case BUSY -> 1;
            default -> 0;
        };
    }
}
