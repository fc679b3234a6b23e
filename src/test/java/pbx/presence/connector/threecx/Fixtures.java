package pbx.presence.connector.threecx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads test fixtures from src/test/resources/vendors/. */
final class Fixtures {

    private Fixtures() {
    }

    static byte[] bytes(String vendor, String file) {
        String path = "/vendors/" + vendor + "/" + file;
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String http(String file) {
        return new String(bytes("3cx-http", file), StandardCharsets.UTF_8);
    }

    static byte[] callControl(String file) {
        return bytes("3cx-callcontrol", file);
    }
}
