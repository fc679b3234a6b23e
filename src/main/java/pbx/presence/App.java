package pbx.presence;

import org.apache.camel.main.Main;
import pbx.presence.config.ConfigurationException;

/**
 * Starts the router: Camel Main with the top-level {@code application.properties} and
 * {@code routes/*.camel.yaml}. Out of the box it runs the embedded demo.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:application.properties");
        int code;
        try {
            code = main.run(args);
        } catch (Exception e) {
            code = 2;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigurationException || t instanceof IllegalStateException && t.getMessage() != null
                        && t.getMessage().contains("presence.")) {
                    System.err.println();
                    System.err.println("PBX Presence Router cannot start: " + t.getMessage());
                    break;
                }
            }
        }
        System.exit(code);
    }
}
