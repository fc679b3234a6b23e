package pbx.presence.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The API's accepted bearer tokens (several while rotating). Comparison hashes both sides and
 * compares the digests with {@link MessageDigest#isEqual} (constant time), checking every token, so
 * neither the time taken nor the length of a guess tells anything about a token.
 */
public final class BearerTokens {

    private final List<byte[]> digests;

    public BearerTokens(List<String> tokens) {
        this.digests = tokens.stream().map(BearerTokens::sha256).toList();
    }

    /** Whether the {@code Authorization} header value carries one of the tokens. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = sha256(authorization.substring(7).strip());
        boolean match = false;
        for (byte[] d : digests) {
            match |= MessageDigest.isEqual(d, given);
        }
        return match;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokens[" + digests.size() + " token(s), values hidden]";
    }
}
