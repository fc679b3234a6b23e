package pbx.presence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Starts the router as its own OS process (the packaged jar after {@code mvn package}, else
 * {@link App} on this test's class path) with a fault that no configuration check foresees, and
 * checks what an operator sees: a non-zero exit code and exactly one line on stderr that says why.
 */
class StartFailureIT {

    private static final String PREFIX = "PBX Presence Router cannot start: ";

    @TempDir
    Path work;

    @Test
    void camelOptionOfTheWrongTypeIsOneLine() throws Exception {
        String line = failedStart("camel.main.shutdown-timeout = soon\n");
        assertTrue(line.contains("soon") && line.toLowerCase().contains("shutdown"), line);
    }

    @Test
    void routeFileThatIsNotYamlIsOneLine() throws Exception {
        Files.writeString(Files.createDirectories(work.resolve("routes")).resolve("broken.camel.yaml"), "- route: [unclosed\n  from: {uri: \"timer:x\"\n");
        String line = failedStart("");
        assertTrue(line.contains("broken.camel.yaml"), line);
    }

    @Test
    void ownConfigurationCheckIsOneLineToo() throws Exception {
        String line = failedStart("presence.webhook.url = exec:/bin/sh\n");
        assertTrue(line.contains("presence.webhook.url must be an absolute http:// or https:// URL"), line);
    }

    /** Runs the router with {@code extraProperties} appended (they win over the shipped values); returns its stderr line. */
    private String failedStart(String extraProperties) throws Exception {
        prepare(extraProperties);
        Path out = work.resolve("stdout.log");
        Path err = work.resolve("stderr.log");
        Process router = new ProcessBuilder(command()).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!router.waitFor(90, TimeUnit.SECONDS)) {
                fail("the router neither started nor failed within 90 s; stdout:\n" + Files.readString(out));
            }
        } finally {
            router.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        assertNotEquals(0, router.exitValue(), "a failed start exits non-zero");
        assertEquals(1, lines.size(), "exactly one line on stderr, was: " + lines + "\nstdout:\n" + tail(out));
        String line = lines.get(0);
        assertTrue(line.startsWith(PREFIX) && line.length() > PREFIX.length() + 10, line);
        return line;
    }

    private void prepare(String extraProperties) throws IOException {
        String props = Files.readString(Path.of("application.properties")) + "\n"
                + "presence.demo.enabled = false\ncamel.management.enabled = false\n"
                + "presence.api.port = " + RouterTestSupport.freePort() + "\n" + extraProperties;
        Files.writeString(work.resolve("application.properties"), props);
        Path routes = Files.createDirectories(work.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
    }

    private static List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        String jar = System.getProperty("router.jar");
        if (jar != null && Files.exists(Path.of(jar))) {
            cmd.addAll(List.of("-jar", jar));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), App.class.getName()));
        }
        return cmd;
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
