package pbx.presence;

import org.apache.camel.main.Main;
import pbx.presence.config.StartFailure;

/**
 * Starts the router: Camel Main with the top-level {@code application.properties} and
 * {@code routes/*.camel.yaml}. Out of the box it runs the embedded demo. A start that fails, for
 * whatever reason, ends with one line on stderr saying why ({@link StartFailure}) and exit code 2.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:application.properties");
        int code;
        try {
            code = main.run(args);
            if (code != 0) {
                System.err.println(StartFailure.exitCode(code));
            }
        } catch (Throwable e) {
            code = 2;
            System.err.println(StartFailure.line(e));
        }
        System.exit(code);
    }
}
