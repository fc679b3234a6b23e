package pbx.presence.delivery;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignerTest {

    /**
     * The Standard Webhooks reference test vector (standard-webhooks/standard-webhooks, libraries/java
     * WebhookTest.verifyWebhookSignWorks, the same in the other language libraries).
     */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330L;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    /** A second, 32-byte secret. */
    private static final String OTHER_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII));

    /** HMAC-SHA256 by RFC 2104 on top of MessageDigest: independent of javax.crypto.Mac. */
    private static byte[] hmacSha256(byte[] key, byte[] message) throws Exception {
        int blockSize = 64;
        if (key.length > blockSize) {
            key = MessageDigest.getInstance("SHA-256").digest(key);
        }
        byte[] k = new byte[blockSize];
        System.arraycopy(key, 0, k, 0, key.length);
        byte[] ipad = new byte[blockSize];
        byte[] opad = new byte[blockSize];
        for (int i = 0; i < blockSize; i++) {
            ipad[i] = (byte) (k[i] ^ 0x36);
            opad[i] = (byte) (k[i] ^ 0x5c);
        }
        MessageDigest inner = MessageDigest.getInstance("SHA-256");
        inner.update(ipad);
        inner.update(message);
        byte[] innerHash = inner.digest();
        MessageDigest outer = MessageDigest.getInstance("SHA-256");
        outer.update(opad);
        outer.update(innerHash);
        return outer.digest();
    }

    private static String expected(String secret, String id, long ts, String body) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] content = (id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8);
        return "v1," + Base64.getEncoder().encodeToString(hmacSha256(key, content));
    }

    @Test
    void matchesTheSpecTestVector() throws Exception {
        WebhookSigner signer = new WebhookSigner(SPEC_SECRET);
        assertEquals(SPEC_SIGNATURE, signer.sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
        // and the independent HMAC agrees with the vector, so it can vouch for other inputs
        assertEquals(SPEC_SIGNATURE, expected(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
    }

    @Test
    void matchesAnIndependentHmacForAnEventBody() throws Exception {
        String body = "{\"specversion\":\"1.0\",\"id\":\"hq-3cx:201:42\",\"data\":{\"name\":\"Jürgen Größ ☎\"}}";
        WebhookSigner signer = new WebhookSigner(OTHER_SECRET);
        assertEquals(expected(OTHER_SECRET, "hq-3cx:201:42", 1795000000L, body), signer.sign("hq-3cx:201:42", 1795000000L, body));
        assertEquals(signer.sign("hq-3cx:201:42", 1795000000L, body),
                signer.sign("hq-3cx:201:42", 1795000000L, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rotationGivesOneSignaturePerSecretInOrder() throws Exception {
        String expectedHeader = SPEC_SIGNATURE + " " + expected(OTHER_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);
        for (String config : List.of(SPEC_SECRET + " " + OTHER_SECRET, SPEC_SECRET + "," + OTHER_SECRET,
                "  " + SPEC_SECRET + " ,\n " + OTHER_SECRET + " , ")) {
            WebhookSigner signer = new WebhookSigner(config);
            assertEquals(2, signer.secretCount());
            String header = signer.sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);
            assertEquals(expectedHeader, header, config);
            assertEquals(2, header.split(" ").length);
        }
    }

    @Test
    void aRepeatedSecretSignsOnce() {
        WebhookSigner signer = new WebhookSigner(SPEC_SECRET + " " + SPEC_SECRET);
        assertEquals(1, signer.secretCount());
        assertEquals(SPEC_SIGNATURE, signer.sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY));
    }

    private static void assertRejectedWithoutLeak(String config, String secretPart, String expectedWording) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WebhookSigner(config));
        String message = e.getMessage();
        assertTrue(message.contains("presence.webhook.secret"), message);
        assertTrue(message.contains(expectedWording), "expected '" + expectedWording + "' in: " + message);
        assertNull(e.getCause(), "a cause could carry the secret");
        // no 5-character piece of the secret appears in the message
        for (int i = 0; i + 5 <= secretPart.length(); i++) {
            String piece = secretPart.substring(i, i + 5);
            assertFalse(message.contains(piece), "message leaks '" + piece + "': " + message);
        }
    }

    @Test
    void badSecretsAreRejectedWithoutRevealingThem() {
        String noPrefix = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        assertRejectedWithoutLeak(noPrefix, noPrefix, "does not start with 'whsec_'");
        String notBase64 = "qz9$Wx!v7#Lm2@Kp8&Rt4*Yh6^Nb3%Jd";
        assertRejectedWithoutLeak("whsec_" + notBase64, notBase64, "not valid base64");
        String shortKey = Base64.getEncoder().encodeToString("16-byte-secret!!".getBytes(StandardCharsets.US_ASCII));
        assertRejectedWithoutLeak("whsec_" + shortKey, shortKey, "decodes to 16 bytes");
        String longKey = Base64.getEncoder().encodeToString(new byte[65]).replace('A', 'k');
        assertRejectedWithoutLeak("whsec_" + longKey, longKey, "24 to 64");
        assertRejectedWithoutLeak("whsec_", "", "nothing after");
        // the second of two is bad: the message says which one
        assertRejectedWithoutLeak(SPEC_SECRET + ", whsec_" + notBase64, notBase64, "secret 2 of 2");
        assertRejectedWithoutLeak(SPEC_SECRET + ", whsec_" + notBase64, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "not valid base64");
    }

    @Test
    void missingSecretIsRejected() {
        for (String config : new String[] {null, "", "  ", " , "}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WebhookSigner(config));
            assertTrue(e.getMessage().contains("presence.webhook.secret"), e.getMessage());
        }
    }

    @Test
    void boundaryKeyLengthsAreAccepted() {
        new WebhookSigner("whsec_" + Base64.getEncoder().encodeToString(new byte[24]));
        new WebhookSigner("whsec_" + Base64.getEncoder().encodeToString(new byte[64]));
        // padding is optional, as for the reference libraries' decoders
        new WebhookSigner("whsec_" + Base64.getEncoder().withoutPadding().encodeToString(new byte[25]));
    }

    @Test
    void toStringRevealsNoSecret() {
        WebhookSigner signer = new WebhookSigner(SPEC_SECRET + " " + OTHER_SECRET);
        String s = signer.toString();
        assertFalse(s.contains("whsec"), s);
        assertFalse(s.contains("MfKQ9"), s);
        assertFalse(s.contains(OTHER_SECRET.substring(6, 14)), s);
        assertTrue(s.contains("2 secrets"), s);
    }

    @Test
    void idsThatCouldReSplitTheSignedContentAreRefused() {
        WebhookSigner signer = new WebhookSigner(SPEC_SECRET);
        assertThrows(IllegalArgumentException.class, () -> signer.sign("a.b", 1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("a b", 1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("a\nb", 1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("", 1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> signer.sign(null, 1, "{}"));
        assertThrows(IllegalArgumentException.class, () -> signer.sign("a", -1, "{}"));
        assertThrows(NullPointerException.class, () -> signer.sign("a", 1, (String) null));
    }

    @Test
    void generatedSecretsAreValidAndDistinct() {
        String a = WebhookSigner.generateSecret();
        String b = WebhookSigner.generateSecret();
        assertTrue(a.startsWith("whsec_"));
        assertFalse(a.equals(b));
        assertEquals(32, Base64.getDecoder().decode(a.substring(6)).length);
        assertEquals(2, new WebhookSigner(a + " " + b).secretCount());
    }

    @Test
    void concurrentSigningGivesTheSameResult() throws Exception {
        WebhookSigner signer = new WebhookSigner(SPEC_SECRET + " " + OTHER_SECRET);
        String expectedHeader = SPEC_SIGNATURE + " " + expected(OTHER_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 2000).parallel().forEach(i -> seen.add(signer.sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)));
        assertEquals(Set.of(expectedHeader), seen);
    }
}
