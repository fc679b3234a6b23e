package pbx.presence.connector.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * A TLS context that trusts exactly the CA certificates in one PEM file (a company CA that signed a
 * PBX's certificate), with the JDK's normal checks (chain, validity, host name). The JDK reads PEM
 * certificates itself ({@link CertificateFactory}); this only puts them into an in-memory trust store.
 */
final class PemTrust {

    private PemTrust() {
    }

    static SSLContext context(String pemFile) {
        Path path = Path.of(pemFile);
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(path)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("trustCertificates file '" + pemFile + "' cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trustCertificates file '" + pemFile
                    + "' is not a PEM file of certificates (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("trustCertificates file '" + pemFile + "' holds no certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + i++ + "-" + ((X509Certificate) c).getSubjectX500Principal().getName(), c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context from '" + pemFile + "': " + e.getMessage(), e);
        }
    }
}
