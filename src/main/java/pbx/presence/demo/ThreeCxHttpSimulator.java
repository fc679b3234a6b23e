package pbx.presence.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stands in for the 3CX "HTTP API" wrapper (seed 002, VENDORS.md §1): plain-text answers on
 * {@code http://host:port/<action>/<args>}, no authentication.
 *
 * <ul>
 *   <li>{@code GET /showallcalls}: one line per call leg of every extension, joined with {@code <br>}
 *       (empty body when there are no calls), content type text/html. Old format
 *       {@code ID=98741:CCID=1:S=Connected:DN=201:EP=+4930123456:REC=Stop}; with {@link #setNewFormat(boolean)}
 *       {@code ID=98741;CCID=1;S=Connected;DN=201;EP=+4930123456;REC=Stop;Queue_Name=Support;Queue_Nummer=800}
 *       (empty values for a direct call). {@link #setHtmlWrapped(boolean)} wraps the lines in
 *       {@code <html><body>…</body></html>}.</li>
 *   <li>{@code GET /showstatus/{ext}}: {@code "    CURRENT_STATUS=<profile>"} (four leading spaces)</li>
 *   <li>{@code GET /ondn/{ext}}: the first call leg's call id, or {@code 0} when idle</li>
 *   <li>{@code GET /dnregs/{ext}}: {@code {id}-sip:{ext}@127.0.0.1:5060-{userAgent}}, or {@code error} when not registered</li>
 *   <li>{@code GET /getcallerid/{ext}}: {@code idle}; {@code Queue: <queue name> Anrufer: <number>} for a queue call;
 *       {@code Queue: Direkter Anruf Anrufer: <number>} for a direct call</li>
 *   <li>{@code GET /setstatus/{ext}/{avail|away|oof|custom1|custom2}}: sets the profile (avail/away also set
 *       UserStatus, the others leave it, as 3CX does) and answers the new profile name</li>
 *   <li>{@code GET /stop}: 403 {@code disabled in simulator} (the real one stops the wrapper)</li>
 *   <li>an unknown action: 200 {@code idle} (the real wrapper's quirk); an unknown extension: 200 {@code error}</li>
 * </ul>
 * Actions are case-insensitive, extra path segments are ignored, every method is treated like GET.
 */
public final class ThreeCxHttpSimulator extends HttpSimulator {

    public static final String DISPLAY_NAME = "Demo 3CX HTTP API simulator";

    private static final String JUNK_CHARS = "#%&*!?~^|{}[]<>@$" + "qxzjkvwy" + "\u00a7\u00b5\u00df\u00f8";

    private volatile boolean newFormat;
    private volatile boolean htmlWrapped;

    public ThreeCxHttpSimulator(SimulatedPbx pbx, String host, int port) {
        this(pbx, host, port, false);
    }

    /** @param newFormat true for the newer showallcalls format (';' between fields, Queue_Name and Queue_Nummer) */
    public ThreeCxHttpSimulator(SimulatedPbx pbx, String host, int port, boolean newFormat) {
        super(DISPLAY_NAME, "demo-3cx-http", pbx, host, port);
        this.newFormat = newFormat;
    }

    @Override
    public ThreeCxHttpSimulator start() {
        super.start();
        return this;
    }

    public boolean isNewFormat() {
        return newFormat;
    }

    public void setNewFormat(boolean newFormat) {
        this.newFormat = newFormat;
    }

    public boolean isHtmlWrapped() {
        return htmlWrapped;
    }

    public void setHtmlWrapped(boolean htmlWrapped) {
        this.htmlWrapped = htmlWrapped;
    }

    /** The showallcalls body for the current state (without failure injection). */
    public String showAllCalls() {
        List<String> lines = new ArrayList<>();
        for (SimulatedExtension e : pbx.all()) {
            int ccid = 1;
            for (SimulatedCall c : e.calls()) {
                lines.add(callLine(e, c, ccid++));
            }
        }
        String body = String.join("<br>", lines);
        return htmlWrapped ? "<html><body>" + body + "</body></html>" : body;
    }

    private String callLine(SimulatedExtension e, SimulatedCall c, int ccid) {
        String sep = newFormat ? ";" : ":";
        StringBuilder b = new StringBuilder()
                .append("ID=").append(c.callId())
                .append(sep).append("CCID=").append(ccid)
                .append(sep).append("S=").append(c.state())
                .append(sep).append("DN=").append(e.number())
                .append(sep).append("EP=").append(c.remoteParty())
                .append(sep).append("REC=Stop");
        if (newFormat) {
            b.append(sep).append("Queue_Name=").append(c.queueName() == null ? "" : c.queueName())
                    .append(sep).append("Queue_Nummer=").append(c.queueNumber() == null ? "" : c.queueNumber());
        }
        return b.toString();
    }

    @Override
    protected Response respond(String method, String path, String query) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.isEmpty()) {
            return Response.text(200, "idle");
        }
        String action = segments.get(0).toLowerCase(Locale.ROOT);
        String ext = segments.size() > 1 ? segments.get(1) : null;
        switch (action) {
            case "showallcalls":
                return Response.of(200, "text/html; charset=utf-8", showAllCalls());
            case "stop":
                return Response.text(403, "disabled in simulator");
            case "showstatus":
            case "ondn":
            case "dnregs":
            case "getcallerid":
            case "setstatus":
                break;
            default:
                return Response.text(200, "idle");
        }
        SimulatedExtension e = ext == null ? null : pbx.get(ext).orElse(null);
        if (e == null) {
            return Response.text(200, "error");
        }
        switch (action) {
            case "showstatus":
                return Response.text(200, "    CURRENT_STATUS=" + e.profile());
            case "ondn": {
                SimulatedCall c = e.firstCall();
                return Response.text(200, c == null ? "0" : Long.toString(c.callId()));
            }
            case "dnregs":
                if (!e.registered()) {
                    return Response.text(200, "error");
                }
                return Response.text(200, registrationId(e.number()) + "-sip:" + e.number() + "@127.0.0.1:5060-" + e.userAgent());
            case "getcallerid": {
                SimulatedCall c = e.firstCall();
                if (c == null) {
                    return Response.text(200, "idle");
                }
                String queue = c.viaQueue() ? c.queueName() : "Direkter Anruf";
                return Response.text(200, "Queue: " + queue + " Anrufer: " + c.remoteParty());
            }
            case "setstatus":
                return setStatus(e, segments.size() > 2 ? segments.get(2) : "");
            default:
                return Response.text(200, "idle");
        }
    }

    private Response setStatus(SimulatedExtension e, String action) {
        String profile;
        String userStatus = e.userStatus();
        switch (action.toLowerCase(Locale.ROOT)) {
            case "avail" -> {
                profile = SimulatedExtension.AVAILABLE;
                userStatus = SimulatedExtension.USER_AVAILABLE;
            }
            case "away" -> {
                profile = SimulatedExtension.AWAY;
                userStatus = SimulatedExtension.USER_AWAY;
            }
            case "oof" -> profile = SimulatedExtension.OUT_OF_OFFICE;
            case "custom1" -> profile = SimulatedExtension.CUSTOM_1;
            case "custom2" -> profile = SimulatedExtension.CUSTOM_2;
            default -> {
                return Response.text(200, "error");
            }
        }
        String p = profile;
        String u = userStatus;
        SimulatedExtension updated = pbx.update(e.number(), x -> x.withProfile(p).withUserStatus(u));
        return Response.text(200, updated.profile());
    }

    /** The stable registration id {@code dnregs} reports for an extension. */
    static int registrationId(String number) {
        return 10 + Math.floorMod(number.hashCode(), 90);
    }

    @Override
    protected Response garbage(String path) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder("\u00ff\u00fe");
        int n = 12 + r.nextInt(20);
        for (int i = 0; i < n; i++) {
            b.append(JUNK_CHARS.charAt(r.nextInt(JUNK_CHARS.length())));
        }
        return Response.text(200, b.toString());
    }

    @Override
    protected Response serverError(String path) {
        return Response.text(500, "simulated internal server error");
    }
}
