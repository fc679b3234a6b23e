package pbx.presence.change;

import java.util.regex.Pattern;

/**
 * Source ids name files, event ids, webhook ids and CloudEvents sources, so they are kept to a safe
 * alphabet (no '.': Standard Webhooks signs "id.timestamp.body", and a dot in the id would blur it).
 */
public final class SourceIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private SourceIds() {
    }

    public static String requireValid(String sourceId) {
        if (sourceId == null || !VALID.matcher(sourceId).matches()) {
            throw new IllegalArgumentException("source id '" + sourceId
                    + "' is invalid: use 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return sourceId;
    }
}
