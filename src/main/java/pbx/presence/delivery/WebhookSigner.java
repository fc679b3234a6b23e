package pbx.presence.delivery;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Signs webhook deliveries per the Standard Webhooks specification (symmetric scheme,
 * https://www.standardwebhooks.com): the signed content is {@code {webhook-id}.{webhook-timestamp}.{body}},
 * the signature is HMAC-SHA256 keyed with the base64-decoded secret (after its {@code whsec_} prefix),
 * and the {@code webhook-signature} header value is {@code v1,<base64 signature>}.
 *
 * <p>Several secrets (separated by spaces or commas) give several space-separated signatures, so a
 * consumer can rotate its secret: configure old and new secret, let the consumer switch, drop the old.
 *
 * <p>Secrets are validated once, in the constructor: each must be {@code whsec_} followed by valid
 * base64 of 24 to 64 bytes (the spec: "at least 24 bytes (192 bits, 512 maximum)"). Error messages name
 * the property {@value #PROPERTY} and never contain a secret or any part of one; {@link #toString()}
 * shows only how many secrets there are. Instances are immutable and thread-safe: they keep only the
 * decoded key bytes and create a {@link Mac} per call.
 */
public final class WebhookSigner {

    /** The configuration property the secrets come from, named in error messages. */
    public static final String PROPERTY = "presence.webhook.secret";
    public static final String SECRET_PREFIX = "whsec_";
    public static final String HEADER_ID = "webhook-id";
    public static final String HEADER_TIMESTAMP = "webhook-timestamp";
    public static final String HEADER_SIGNATURE = "webhook-signature";
    /** Standard Webhooks: a symmetric secret has at least 24 bytes ... */
    public static final int MIN_SECRET_BYTES = 24;
    /** ... and at most 512 bits. */
    public static final int MAX_SECRET_BYTES = 64;

    private static final String ALGORITHM = "HmacSHA256";
    private static final String VERSION = "v1";

    private final List<SecretKeySpec> keys;

    /**
     * @param secrets one or more {@code whsec_...} secrets separated by spaces and/or commas
     * @throws IllegalArgumentException when no secret is given or one is malformed; the message names
     *         {@value #PROPERTY}, which secret (by position) and what is wrong, never the secret itself
     */
    public WebhookSigner(String secrets) {
        if (secrets == null || secrets.isBlank()) {
            throw new IllegalArgumentException(PROPERTY + " is not set: give one or more secrets of the form "
                    + "whsec_<base64 of " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " random bytes>, "
                    + "separated by spaces or commas");
        }
        String[] parts = Arrays.stream(secrets.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (parts.length == 0) {
            throw new IllegalArgumentException(PROPERTY + " holds only separators: give one or more secrets of the "
                    + "form whsec_<base64>, separated by spaces or commas");
        }
        List<SecretKeySpec> parsed = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            byte[] key = decode(parts[i], i + 1, parts.length);
            SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM); // copies the bytes
            Arrays.fill(key, (byte) 0);
            if (!parsed.contains(spec)) { // a repeated secret would only repeat its signature
                parsed.add(spec);
            }
        }
        this.keys = List.copyOf(parsed);
        try {
            Mac.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
        }
    }

    private static byte[] decode(String secret, int position, int count) {
        String which = count == 1 ? PROPERTY : PROPERTY + " (secret " + position + " of " + count + ")";
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException(which + " does not start with '" + SECRET_PREFIX
                    + "': Standard Webhooks secrets are whsec_ followed by base64");
        }
        String encoded = secret.substring(SECRET_PREFIX.length());
        if (encoded.isEmpty()) {
            throw new IllegalArgumentException(which + " has nothing after '" + SECRET_PREFIX + "'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            // deliberately not chained: the decoder's message quotes the offending character
            throw new IllegalArgumentException(which + " is not valid base64 after '" + SECRET_PREFIX
                    + "' (standard alphabet A-Z a-z 0-9 + /, optional = padding)");
        }
        if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
            int length = key.length;
            Arrays.fill(key, (byte) 0);
            throw new IllegalArgumentException(which + " decodes to " + length + " bytes; Standard Webhooks "
                    + "requires " + MIN_SECRET_BYTES + " to " + MAX_SECRET_BYTES + " random bytes");
        }
        return key;
    }

    /**
     * The {@code webhook-signature} header value: one {@code v1,<base64>} per secret, space-separated,
     * in configuration order.
     *
     * @param id the {@code webhook-id} (stable across retries); must not contain '.', whitespace or
     *           control characters (the spec warns that a '.' in it lets signed content be re-split)
     * @param timestampSeconds the {@code webhook-timestamp}: Unix seconds of this delivery attempt
     * @param body the exact body bytes sent, as UTF-8 text
     */
    public String sign(String id, long timestampSeconds, String body) {
        Objects.requireNonNull(body, "body");
        return sign(id, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #sign(String, long, String)} for a body already encoded as bytes. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        checkId(id);
        Objects.requireNonNull(body, "body");
        if (timestampSeconds < 0) {
            throw new IllegalArgumentException("webhook timestamp must not be negative: " + timestampSeconds);
        }
        byte[] prefix = (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(keys.size() * 48);
        for (SecretKeySpec key : keys) {
            Mac mac = newMac(key);
            mac.update(prefix);
            byte[] signature = mac.doFinal(body);
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append(VERSION).append(',').append(Base64.getEncoder().encodeToString(signature));
        }
        return header.toString();
    }

    private static void checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("webhook id must not be empty");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '.' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("webhook id must not contain '.', whitespace or control "
                        + "characters (Standard Webhooks signs id.timestamp.body): '" + id + "'");
            }
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }

    /** How many distinct secrets sign each delivery (and so how many signatures the header carries). */
    public int secretCount() {
        return keys.size();
    }

    /** A fresh random secret in the Standard Webhooks format: {@code whsec_} + base64 of 32 random bytes. */
    public static String generateSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + keys.size() + (keys.size() == 1 ? " secret" : " secrets") + ", redacted]";
    }
}
