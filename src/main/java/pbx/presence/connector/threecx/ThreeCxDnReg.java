package pbx.presence.connector.threecx;

import pbx.presence.connector.PayloadException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One registration line of the HTTP API's {@code GET /dnregs/{ext}}: {@code {id}-{contact}-{userAgent}}.
 *
 * <p>Both the contact and, more often, the user agent may contain '-' ({@code Yealink SIP-T46S},
 * {@code Cisco-SPA504G}), so the line is split like this: the id is the text up to the first '-'.
 * When the rest starts with a contact that ends in a port ({@code sip:201@pbx-1.local:5060},
 * optionally followed by {@code ;param} parts without '-' and a '&gt;'), the user agent is what
 * follows that contact's '-'. Otherwise the contact is the text up to the next '-' and the user
 * agent the remainder (contacts without a port rarely contain '-', user agents often do).
 *
 * @param id the wrapper's registration id
 * @param contact the registered contact, possibly empty
 * @param userAgent the device's user agent, possibly empty
 */
record ThreeCxDnReg(String id, String contact, String userAgent) {

    private static final Pattern CONTACT_WITH_PORT =
            Pattern.compile("(?s)^(<?[^\\s<>]*?:\\d{1,5}(?:;[^\\s;<>-]*)*>?)-(.*)$");

    /**
     * The registrations of a {@code dnregs} body. {@code error} (what the wrapper answers for an
     * extension without registrations), {@code 0} and an empty body mean none.
     *
     * @throws PayloadException for a line that is neither a registration nor one of those words,
     *         naming the extension and the path
     */
    static List<ThreeCxDnReg> parseAll(String extension, String body) {
        List<ThreeCxDnReg> regs = new ArrayList<>();
        for (String line : ThreeCxText.lines(body)) {
            if (none(line)) {
                continue;
            }
            int dash = line.indexOf('-');
            if (dash <= 0) {
                throw new PayloadException(ThreeCxHttpTranslator.WHAT + ": extension " + extension + ": GET /dnregs/"
                        + extension + " answered " + ThreeCxText.quote(line)
                        + ", expected '{id}-{contact}-{userAgent}' or 'error'");
            }
            regs.add(parse(line.substring(0, dash).strip(), line.substring(dash + 1)));
        }
        return regs;
    }

    private static ThreeCxDnReg parse(String id, String rest) {
        Matcher m = CONTACT_WITH_PORT.matcher(rest);
        if (m.matches()) {
            return new ThreeCxDnReg(id, m.group(1).strip(), m.group(2).strip());
        }
        int dash = rest.indexOf('-');
        if (dash < 0) {
            return new ThreeCxDnReg(id, rest.strip(), "");
        }
        return new ThreeCxDnReg(id, rest.substring(0, dash).strip(), rest.substring(dash + 1).strip());
    }

    private static boolean none(String line) {
        String l = line.toLowerCase(Locale.ROOT);
        return l.equals("error") || l.equals("0");
    }
}
