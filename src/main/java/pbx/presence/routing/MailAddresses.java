package pbx.presence.routing;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * An empty or invalid recipient list would otherwise fail only when a mail is sent, be retried for
 * minutes and hold up every later mail; every e-mail sink refuses it at start instead.
 */
public final class MailAddresses {

    private MailAddresses() {
    }

    /** @throws IllegalArgumentException naming the keys when {@code to} or {@code from} is not a valid address (list) */
    public static void check(String to, String from) {
        try {
            InternetAddress[] recipients = InternetAddress.parse(to, true);
            if (recipients.length == 0) {
                throw new IllegalArgumentException("presence.email.to must name at least one recipient when presence.email.url is set");
            }
            for (InternetAddress a : recipients) {
                a.validate();
            }
            new InternetAddress(from, true).validate();
        } catch (AddressException e) {
            throw new IllegalArgumentException("presence.email.to / presence.email.from is not a valid address list: " + e.getMessage());
        }
    }
}
