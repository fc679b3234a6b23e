package pbx.presence.connector.threecx;

import com.fasterxml.jackson.databind.JsonNode;
import pbx.presence.connector.LenientJson;
import pbx.presence.model.Device;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code GET /callcontrol} body of 3CX v20, read into one {@link Dn} per DN:
 * {@code [{dn, type, devices[{dn, device_id, user_agent}], participants[{id, status, dn,
 * party_caller_id, callid, …}]}]}. Queues, route points and other DN types come through too; the
 * translator joins only the DNs that are users' Numbers.
 */
final class ThreeCxV20CallControl {

    static final String WHICH = "/callcontrol";

    /**
     * One DN as call control sees it.
     *
     * @param type         the raw DN type ({@code Wextension}, {@code Wqueue} …), null when not sent
     * @param devices      devices with {@code device_id} and {@code user_agent}; online/dnd unknown
     * @param participants the DN's call legs, in payload order
     */
    record Dn(String dn, String type, List<Device> devices, List<Participant> participants) {
    }

    /** One call leg: its raw {@code status} (null when not sent) and {@code callid}. */
    record Participant(String status, String callId) {
    }

    private ThreeCxV20CallControl() {
    }

    /**
     * @return DN → its state
     * @throws pbx.presence.connector.PayloadException for malformed JSON, a top level that is not an
     *         array, an element that is not an object or has no {@code dn}, a {@code dn} that occurs
     *         twice, or {@code devices} / {@code participants} that are not arrays of objects
     */
    static Map<String, Dn> read(byte[] body) {
        JsonNode root = ThreeCxV20Json.parse(body, WHICH, "an array of DN objects");
        if (!root.isArray()) {
            throw ThreeCxV20Json.problem(WHICH, "top level is " + LenientJson.kind(root) + ", expected an array of DN objects");
        }
        Map<String, Dn> out = new HashMap<>(root.size() * 2);
        Map<String, Integer> at = new HashMap<>(root.size() * 2);
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            String which = WHICH + " element " + i;
            if (!element.isObject()) {
                throw ThreeCxV20Json.problem(which, "is " + LenientJson.kind(element) + ", expected a DN object");
            }
            String dn = LenientJson.text(element.get("dn"));
            if (dn == null || dn.isEmpty()) {
                throw ThreeCxV20Json.problem(which, "has no dn");
            }
            Integer before = at.putIfAbsent(dn, i);
            if (before != null) {
                // two states for one DN: which one is true cannot be known, so the poll fails
                throw ThreeCxV20Json.problem(which, "repeats dn " + dn + " of element " + before);
            }
            out.put(dn, new Dn(dn, LenientJson.text(element.get("type")), devices(element, which), participants(element, which)));
        }
        return out;
    }

    private static List<Device> devices(JsonNode element, String which) {
        JsonNode devices = ThreeCxV20Json.optionalArray(element, "devices", which);
        if (devices == null) {
            return List.of();
        }
        List<Device> out = new ArrayList<>(devices.size());
        for (int d = 0; d < devices.size(); d++) {
            JsonNode device = devices.get(d);
            if (!device.isObject()) {
                throw ThreeCxV20Json.problem(which, "device " + d + " is " + LenientJson.kind(device) + ", expected an object");
            }
            String userAgent = LenientJson.text(device.get("user_agent"));
            // online stays null: registration is IsRegistered's job (see ThreeCxV20Translator)
            out.add(new Device(LenientJson.text(device.get("device_id")),
                    userAgent == null || userAgent.isEmpty() ? null : userAgent, null, null, null));
        }
        return out;
    }

    private static List<Participant> participants(JsonNode element, String which) {
        JsonNode participants = ThreeCxV20Json.optionalArray(element, "participants", which);
        if (participants == null) {
            return List.of();
        }
        List<Participant> out = new ArrayList<>(participants.size());
        for (int p = 0; p < participants.size(); p++) {
            JsonNode participant = participants.get(p);
            if (!participant.isObject()) {
                throw ThreeCxV20Json.problem(which, "participant " + p + " is " + LenientJson.kind(participant)
                        + ", expected an object");
            }
            String status = LenientJson.text(participant.get("status"));
            out.add(new Participant(status == null || status.isEmpty() ? null : status,
                    LenientJson.text(participant.get("callid"))));
        }
        return out;
    }
}
