package pbx.presence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the packaged router ({@code java -jar …-jar-with-dependencies.jar}) as an OS process in a
 * folder of its own, the way README "To deploy" tells users to: the shipped
 * {@code application.properties} and {@code routes/}, with the test's own
 * {@code routes/sources.camel.yaml} and {@code -D} overrides. Shared by the ITs and the end-to-end
 * benchmark.
 */
public final class PackagedRouter {

    /** The line Camel Main logs once every route is up. */
    public static final String STARTED = "(pbx-presence-router) started";

    private PackagedRouter() {
    }

    /** The packaged jar: system property {@code router.jar} (failsafe sets it), or null. */
    public static String jar() {
        return System.getProperty("router.jar");
    }

    /** True when {@link #jar()} names an existing file. */
    public static boolean available() {
        return jar() != null && Files.exists(Path.of(jar()));
    }

    /**
     * Fills {@code dir} as a deployment folder: the project's {@code application.properties} and every
     * route file but {@code sources.camel.yaml}, which becomes {@code sourcesYaml}.
     */
    public static void prepareFolder(Path dir, String sourcesYaml) throws IOException {
        Files.createDirectories(dir);
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("sources.camel.yaml")) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(routes.resolve("sources.camel.yaml"), sourcesYaml);
    }

    /**
     * Starts the jar in {@code dir} with {@code jvmOptions} (heap, {@code -Dkey=value} overrides) before
     * {@code -jar}; stdout and stderr are appended to {@code log}.
     */
    public static Process start(Path dir, Path log, List<String> jvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar()));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** How often {@code text} occurs in {@code log} (0 while the file does not exist). */
    public static int count(Path log, String text) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        String s = Files.readString(log, StandardCharsets.UTF_8);
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }
}
