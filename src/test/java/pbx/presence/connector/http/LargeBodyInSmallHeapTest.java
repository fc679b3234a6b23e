package pbx.presence.connector.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8.12: reading a response needs about one body of heap, not a multiple. A child JVM with a
 * 96 MB heap polls a 48 MB body through the real fetch path ({@link UrlFetcher} on {@link VendorHttp}).
 * A growing buffer needs 32 + 64 MB while it doubles past 32 MB (and another copy after), so the
 * old read path ran out of memory here.
 */
class LargeBodyInSmallHeapTest {

    static final int BODY_BYTES = 48 * 1024 * 1024;

    private HttpServer server;

    @BeforeEach
    void serveALargeBody() throws IOException {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) ' ');
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/extensions", exchange -> {
            exchange.sendResponseHeaders(200, BODY_BYTES);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int sent = 0; sent < BODY_BYTES; sent += block.length) {
                    out.write(block, 0, Math.min(block.length, BODY_BYTES - sent));
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aBodyHalfTheHeapIsReadInAChildJvm() throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/extensions";
        Path log = Files.createTempFile("large-body", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xms96m", "-Xmx96m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), FetchOnce.class.getName(), url, String.valueOf(64L * 1024 * 1024)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM finished");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        assertEquals(0, p.exitValue(), "child output: " + out);
        assertTrue(out.contains("read " + BODY_BYTES + " bytes"), out);
    }

    /** The child: one fetch, then prints the body's length (an OutOfMemoryError exits non-zero). */
    public static final class FetchOnce {
        public static void main(String[] args) {
            VendorHttp.Settings s = VendorHttp.Settings.defaults().withTimeout(Duration.ofSeconds(30));
            s = new VendorHttp.Settings(s.connectTimeout(), s.requestTimeout(), Long.parseLong(args[1]), s.maxRetryAfter(), true);
            try (UrlFetcher f = new UrlFetcher(args[0], s)) {
                System.out.println("read " + f.fetch().length + " bytes");
            }
        }
    }
}
