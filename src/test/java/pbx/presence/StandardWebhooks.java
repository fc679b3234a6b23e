package pbx.presence;

import pbx.presence.delivery.WebhookSigner;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Checks a Standard Webhooks signature the way a receiver would, independently of the router's
 * {@link WebhookSigner}: HMAC-SHA256 of {@code id.timestamp.body} with the base64-decoded secret,
 * compared with each {@code v1,<base64>} entry of the signature header.
 */
public final class StandardWebhooks {

    private StandardWebhooks() {
    }

    /** True when {@code header} holds a valid signature of {@code body} under {@code secret} ({@code whsec_…}). */
    public static boolean valid(String secret, String id, String timestamp, String header, byte[] body) {
        if (id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring(WebhookSigner.SECRET_PREFIX.length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            for (String part : header.split(" ")) {
                if (part.startsWith("v1,") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(part.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
