package pbx.presence.routing;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Takes what waits in the e-mail outbox for one digest, and deletes it only when the digest's
 * exchange completes (the mail was sent, or it was dead-lettered). A crash, a kill or a stop
 * before that leaves the files where they are, and the next digest after a restart mails them: a
 * digest window never lives only in memory. Written by hand because Camel's aggregator keeps its
 * window in memory once the file consumer has deleted the files, and no persistent aggregation
 * repository (LevelDB, JDBC) is available to this deployment.
 */
public final class EmailDigestOutbox {

    private static final Logger LOG = LoggerFactory.getLogger("pbx.presence.email");

    private final Path folder;
    private final int maxFiles;

    public EmailDigestOutbox(Path folder, int maxFiles) {
        this.folder = folder;
        this.maxFiles = maxFiles;
    }

    /** Sets the body to the waiting event lines, oldest first, and arranges their deletion on completion. */
    public void take(Exchange exchange) {
        List<Path> files;
        try (Stream<Path> s = Files.exists(folder) ? Files.list(folder) : Stream.empty()) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().limit(maxFiles).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the e-mail outbox " + folder + ": " + e.getMessage(), e);
        }
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            try {
                Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).forEach(lines::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        exchange.getMessage().setBody(lines);
        if (files.isEmpty()) {
            return;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                for (Path f : files) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        LOG.warn("Could not remove mailed outbox file {}: {} (its events may be mailed again)", f, e.getMessage());
                    }
                }
            }
        });
    }
}
