package pbx.presence.delivery;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheResolver;
import pbx.presence.model.PresenceEvent;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Renders mails from Mustache templates: {@code email-subject}, {@code email-text}, {@code email-html}
 * for one event, {@code digest-subject}, {@code digest-text}, {@code digest-html} for a digest (each
 * {@code <name>.mustache}). A file of that name in the template folder (by default {@code templates/}
 * next to {@code application.properties}) replaces the shipped default ({@code templates/} on the
 * classpath); templates are read once, at start.
 *
 * <p>The HTML templates escape every {@code {{value}}}; text and subject templates do not (they are
 * plain text). A rendered subject is made one line (line breaks and control characters become spaces)
 * and capped at {@link EventMailFormatter#maxSubjectLength()}; a digest subject names as many events
 * as fit. Instances are immutable and thread-safe.
 */
public final class MailTemplates {

    /** The shipped defaults' folder on the classpath. */
    static final String CLASSPATH_ROOT = "templates";

    /** A rendered mail. */
    public record Mail(String subject, String text, String html) {
    }

    private final EventMailFormatter formatter;
    private final Mustache subject;
    private final Mustache text;
    private final Mustache html;
    private final Mustache digestSubject;
    private final Mustache digestText;
    private final Mustache digestHtml;

    /**
     * Reads the templates now, so a broken override stops the start rather than a mail.
     *
     * @param formatter the view model builder (time zone, subject cap)
     * @param folder    the operator's template folder (null: none); files missing there come from the shipped defaults
     * @throws IllegalArgumentException when a template cannot be read or parsed (the message names it)
     */
    public MailTemplates(EventMailFormatter formatter, Path folder) {
        this.formatter = Objects.requireNonNull(formatter, "formatter");
        MustacheResolver resolver = new FolderThenClasspathResolver(folder, CLASSPATH_ROOT);
        DefaultMustacheFactory escaping = new DefaultMustacheFactory(resolver);
        DefaultMustacheFactory plain = new DefaultMustacheFactory(resolver) {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        this.subject = compile(plain, "email-subject", folder);
        this.text = compile(plain, "email-text", folder);
        this.html = compile(escaping, "email-html", folder);
        this.digestSubject = compile(plain, "digest-subject", folder);
        this.digestText = compile(plain, "digest-text", folder);
        this.digestHtml = compile(escaping, "digest-html", folder);
    }

    /** The shipped templates only, times in UTC: for tests and tools. */
    public static MailTemplates defaults() {
        return new MailTemplates(new EventMailFormatter(), null);
    }

    /** The mail for one event. */
    public Mail single(PresenceEvent e) {
        MailView view = formatter.single(e);
        return new Mail(oneLine(render(subject, view)), render(text, view), render(html, view));
    }

    /** One mail for several events, in the given order. */
    public Mail digest(List<PresenceEvent> events) {
        DigestView view = formatter.digest(events);
        return new Mail(digestSubject(view), render(digestText, view), render(digestHtml, view));
    }

    /**
     * The subject naming the most events that fit in the cap: the rendered length grows with the number
     * named, so a binary search finds it with a handful of renders even for a large digest.
     */
    private String digestSubject(DigestView view) {
        int max = formatter.maxSubjectLength();
        int low = 0;
        int high = view.count();
        String best = null;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            String candidate = EventMailFormatter.clean(render(digestSubject, view.showing(mid)));
            if (candidate.length() <= max) {
                best = candidate;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return best != null ? best : oneLine(render(digestSubject, view.showing(0)));
    }

    private String oneLine(String rendered) {
        return EventMailFormatter.truncate(EventMailFormatter.clean(rendered), formatter.maxSubjectLength());
    }

    private static String render(Mustache template, Object view) {
        StringWriter out = new StringWriter(2048);
        template.execute(out, view);
        return out.toString();
    }

    private static Mustache compile(DefaultMustacheFactory factory, String name, Path folder) {
        String file = name + ".mustache";
        try {
            return factory.compile(file);
        } catch (MustacheException e) {
            throw new IllegalArgumentException("e-mail template " + file + (folder == null ? "" : " (in " + folder + " or the shipped defaults)") + " cannot be used: "
                    + e.getMessage(), e);
        }
    }
}
