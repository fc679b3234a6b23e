package pbx.presence;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Captures every log line (formatted, with stack traces) while open; used to assert what operators see. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null,
                PatternLayout.newBuilder().withPattern("%-5level %c %msg%n%throwable").build(), true, Property.EMPTY_ARRAY);
    }

    public static LogCapture open() {
        LogCapture c = new LogCapture();
        c.start0();
        return c;
    }

    private void start0() {
        start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.addAppender(this);
        LoggerConfig root = config.getRootLogger();
        root.addAppender(this, Level.ALL, null);
        // loggers that do not pass events up to the root need the appender themselves
        config.getLoggers().values().stream().filter(l -> l != root && !l.isAdditive())
                .forEach(l -> l.addAppender(this, Level.ALL, null));
        ctx.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        events.add(event.toImmutable());
        lines.add(new String(getLayout().toByteArray(event), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Formatted lines so far, each with level, logger name, message and any stack trace. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> lines(Level level) {
        return events.stream().filter(e -> e.getLevel() == level).map(e -> e.getMessage().getFormattedMessage()).toList();
    }

    public String all() {
        return String.join("", lines);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().removeAppender(getName());
        config.getLoggers().values().forEach(l -> l.removeAppender(getName()));
        ctx.updateLoggers();
        stop();
    }
}
