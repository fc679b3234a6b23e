package pbx.presence.connector.telecomx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads test fixtures from src/test/resources/vendors/telecomx/. */
final class TelecomXFixtures {

    private TelecomXFixtures() {
    }

    static byte[] bytes(String file) {
        String path = "/vendors/telecomx/" + file;
        try (InputStream in = TelecomXFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }
}
