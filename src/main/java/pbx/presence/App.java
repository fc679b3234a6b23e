package pbx.presence;

import org.apache.camel.main.Main;

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
        System.exit(main.run(args));
    }
}
