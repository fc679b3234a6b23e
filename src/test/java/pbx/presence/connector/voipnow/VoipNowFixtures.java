package pbx.presence.connector.voipnow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads fixtures from src/test/resources/vendors/voipnow/. */
final class VoipNowFixtures {

    private VoipNowFixtures() {
    }

    static byte[] bytes(String file) {
        String path = "/vendors/voipnow/" + file;
        try (InputStream in = VoipNowFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static VoipNowPayload payload(String... files) {
        java.util.List<byte[]> bodies = new java.util.ArrayList<>();
        for (String f : files) {
            bodies.add(bytes(f));
        }
        return VoipNowPayload.ofBodies(bodies);
    }
}
