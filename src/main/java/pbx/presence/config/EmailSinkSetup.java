package pbx.presence.config;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.spi.PropertiesComponent;
import pbx.presence.delivery.EventMailFormatter;
import pbx.presence.delivery.MailTemplates;
import pbx.presence.routing.EmailComposer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wires the e-mail sink's Java side: the mail templates (an operator's {@code templates/} folder
 * first, the shipped defaults after) behind the {@code emailComposer} bean, and the SMTP password.
 *
 * <p>The password ({@code presence.email.password}) never goes into the mail URI, where {@code &},
 * {@code +}, {@code %} or {@code #} would split or change it: it is set on the {@code smtp} and
 * {@code smtps} components' configuration from Java, which every mail endpoint copies, so no character
 * of it is parsed. A {@code password=} in {@code presence.email.url} still wins over it.
 */
public final class EmailSinkSetup {

    /** The key of the SMTP password. */
    public static final String PASSWORD_KEY = "presence.email.password";

    private EmailSinkSetup() {
    }

    /** Binds {@code emailComposer} and hands the SMTP password to camel-mail. */
    public static void apply(CamelContext context, EventMailFormatter formatter) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Path folder = Path.of(get(pc, "presence.email.template-directory", "templates"));
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new ConfigurationException("application.properties (or its overrides): presence.email.template-directory "
                    + folder + " is a file, not a folder of templates");
        }
        MailTemplates templates;
        try {
            templates = new MailTemplates(formatter, folder);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        context.getRegistry().bind("emailComposer", new EmailComposer(formatter, folder, templates,
                get(pc, "presence.email.from", "pbx-presence@localhost"), get(pc, "presence.email.to", "")));
        // not stripped: a password may end in a space
        String password = pc.resolveProperty(PASSWORD_KEY).orElse("");
        if (!password.isEmpty()) {
            for (String scheme : new String[] {"smtp", "smtps"}) {
                context.getComponent(scheme, MailComponent.class).getConfiguration().setPassword(password);
            }
        }
    }

    private static String get(PropertiesComponent pc, String key, String def) {
        return pc.resolveProperty(key).map(String::strip).orElse(def);
    }
}
