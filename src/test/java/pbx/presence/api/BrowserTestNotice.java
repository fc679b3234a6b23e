package pbx.presence.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one console line of {@code mvn verify} saying the wallboard browser test did not run and how
 * to run it. Surefire keeps test output in files, so the skipped test records the line in the build
 * folder and this class's {@link #main}, run by Maven itself at {@code verify} (exec-maven-plugin,
 * see pom.xml), prints it.
 */
public final class BrowserTestNotice {

    private BrowserTestNotice() {
    }

    private static Path file() {
        return Path.of(System.getProperty("pbx.build.dir", "target"), "browser-test-not-run.txt");
    }

    static void clear() {
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void record(String line) {
        try {
            Files.createDirectories(file().getParent());
            Files.writeString(file(), line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints the recorded line, if the browser test was skipped in this build, and forgets it. */
    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            System.setProperty("pbx.build.dir", args[0]);
        }
        if (Files.exists(file())) {
            System.out.println(Files.readString(file()).strip());
            Files.delete(file());
        }
    }
}
