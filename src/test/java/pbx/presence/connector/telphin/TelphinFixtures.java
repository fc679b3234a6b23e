package pbx.presence.connector.telphin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the fixtures in src/test/resources/vendors/telphin/ and builds payloads from them. */
final class TelphinFixtures {

    private TelphinFixtures() {
    }

    static byte[] bytes(String file) {
        String path = "/vendors/telphin/" + file;
        try (InputStream in = TelphinFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** statuses.json plus the given extension pages; no registration, no calls. */
    static TelphinPayload pages(String... pageFiles) {
        return payload("statuses.json", List.of(pageFiles), Map.of(), null);
    }

    /**
     * @param registrations extension id → fixture file
     * @param calls         fixture file or null
     */
    static TelphinPayload payload(String statuses, List<String> pages, Map<String, String> registrations, String calls) {
        Map<String, byte[]> regs = new LinkedHashMap<>();
        registrations.forEach((id, file) -> regs.put(id, bytes(file)));
        return TelphinPayload.fromBodies(bytes(statuses), pages.stream().map(TelphinFixtures::bytes).toList(), regs,
                calls == null ? null : bytes(calls));
    }
}
