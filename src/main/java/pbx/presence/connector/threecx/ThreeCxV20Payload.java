package pbx.presence.connector.threecx;

import java.util.List;
import java.util.Objects;

/**
 * What one poll of a 3CX v20 PBX returned, as raw bodies: every page of {@code GET /xapi/v1/Users}
 * in the order they were fetched, and the one {@code GET /callcontrol} body.
 *
 * <p>Raw bytes rather than parsed trees so that {@link ThreeCxV20Translator} stays a pure function
 * of what the PBX sent, testable against fixture files byte for byte.
 *
 * @param userPages   the OData pages ({@code {"value":[…], "@odata.nextLink"?, "@odata.count"?}}), at least one
 * @param callControl the {@code /callcontrol} array of DN objects
 */
public record ThreeCxV20Payload(List<byte[]> userPages, byte[] callControl) {

    public ThreeCxV20Payload {
        Objects.requireNonNull(userPages, "userPages");
        Objects.requireNonNull(callControl, "callControl");
        if (userPages.isEmpty()) {
            throw new IllegalArgumentException("a 3CX v20 payload needs at least one Users page");
        }
        userPages.forEach(p -> Objects.requireNonNull(p, "a Users page"));
        userPages = List.copyOf(userPages);
    }

    /** Sizes only: bodies can be megabytes and belong in no log line. */
    @Override
    public String toString() {
        long bytes = userPages.stream().mapToLong(p -> p.length).sum();
        return "ThreeCxV20Payload[" + userPages.size() + " Users pages, " + bytes + " bytes; /callcontrol "
                + callControl.length + " bytes]";
    }
}
