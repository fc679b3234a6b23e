package pbx.presence.connector.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pbx.presence.connector.KameletParameters;
import pbx.presence.connector.PollException;
import pbx.presence.connector.threecx.ThreeCxCallControlKamelet;
import pbx.presence.connector.threecx.ThreeCxHttpKamelet;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8.10: a PBX whose certificate a company CA signed is polled over verified TLS with the
 * source's {@code trustCertificates} PEM file, without {@code insecureTls}. A real HTTPS server on
 * loopback presents the fixtures of {@code src/test/resources/tls/} (see its README).
 */
class VendorTlsTrustTest {

    private static final String BODY = "[{\"Number\":\"201\"}]";

    private HttpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void theCompanyCaFromThePemFileIsTrusted() throws Exception {
        String url = serve("pbx.p12");
        try (UrlFetcher f = ThreeCxCallControlKamelet.fetcher(params(url, "trustCertificates", fixture("test-ca.pem")))) {
            assertEquals(BODY, new String(f.fetch(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void withoutThePemFileTheCertificateIsRefused() throws Exception {
        String url = serve("pbx.p12");
        try (UrlFetcher f = ThreeCxCallControlKamelet.fetcher(params(url))) {
            PollException e = assertThrows(PollException.class, f::fetch);
            assertTrue(e.getMessage().startsWith("GET /extensions: TLS failed"), e.getMessage());
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        String url = serve("rogue-pbx.p12");
        try (UrlFetcher f = ThreeCxCallControlKamelet.fetcher(params(url, "trustCertificates", fixture("test-ca.pem")))) {
            PollException e = assertThrows(PollException.class, f::fetch);
            assertTrue(e.getMessage().startsWith("GET /extensions: TLS failed"), e.getMessage());
        }
    }

    @Test
    void trustingAnotherCaDoesNotTrustTheCompanyCa() throws Exception {
        String url = serve("pbx.p12");
        try (UrlFetcher f = ThreeCxCallControlKamelet.fetcher(params(url, "trustCertificates", fixture("other-ca.pem")))) {
            assertThrows(PollException.class, f::fetch);
        }
    }

    @Test
    void theFanOutConnectorTrustsThePemFileToo() throws Exception {
        String url = serve("pbx.p12").replace("/extensions", "");
        KameletParameters p = KameletParameters.of("sourceId", "hq-3cx", "baseUrl", url, "extensions", "201",
                "timeoutMillis", "3000", "trustCertificates", fixture("test-ca.pem"));
        try (var f = ThreeCxHttpKamelet.fetcher(p)) {
            assertEquals(BODY, f.fetch().showAllCalls());
        }
    }

    @Test
    void aMissingOrBadPemFileStopsTheSourceWithAClearMessage() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ThreeCxCallControlKamelet.fetcher(params("https://127.0.0.1:1/x", "trustCertificates", "/nonexistent/ca.pem")));
        assertEquals("source 'tls': trustCertificates file '/nonexistent/ca.pem' cannot be read (NoSuchFileException)", e.getMessage());
        Path notPem = Files.createTempFile("not-a-ca", ".pem");
        Files.writeString(notPem, "hello");
        try {
            e = assertThrows(IllegalArgumentException.class,
                    () -> ThreeCxCallControlKamelet.fetcher(params("https://127.0.0.1:1/x", "trustCertificates", notPem.toString())));
            assertTrue(e.getMessage().startsWith("source 'tls': trustCertificates file '" + notPem + "'"), e.getMessage());
        } finally {
            Files.deleteIfExists(notPem);
        }
        e = assertThrows(IllegalArgumentException.class, () -> ThreeCxCallControlKamelet.fetcher(
                params("https://127.0.0.1:1/x", "trustCertificates", fixture("test-ca.pem"), "insecureTls", "true")));
        assertTrue(e.getMessage().startsWith("source 'tls': parameter insecureTls must be false when trustCertificates is set"),
                e.getMessage());
    }

    private static KameletParameters params(String url, String... more) {
        KameletParameters p = KameletParameters.of("sourceId", "tls", "url", url, "timeoutMillis", "3000");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    private static String fixture(String name) throws Exception {
        return Path.of(VendorTlsTrustTest.class.getResource("/tls/" + name).toURI()).toString();
    }

    /** Starts an HTTPS server on loopback presenting the given key store; returns its extensions URL. */
    private String serve(String keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = VendorTlsTrustTest.class.getResourceAsStream("/tls/" + keyStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", exchange -> {
            byte[] b = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/extensions";
    }
}
