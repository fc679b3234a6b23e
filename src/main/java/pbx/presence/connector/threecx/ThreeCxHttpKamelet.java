package pbx.presence.connector.threecx;

import pbx.presence.connector.KameletParameters;

import java.time.Duration;

/** The beans of {@code 3cx-http-presence-source.kamelet.yaml}, made from its parameters. */
public final class ThreeCxHttpKamelet {

    private ThreeCxHttpKamelet() {
    }

    public static ThreeCxHttpFetcher fetcher(KameletParameters p) {
        return p.build(() -> {
            var http = p.http(Duration.ofSeconds(2));
            return new ThreeCxHttpFetcher(p.required("baseUrl"), p.list("extensions"), http,
                    http.requestTimeout().multipliedBy(ThreeCxHttpFetcher.DEFAULT_DEADLINE_FACTOR),
                    ThreeCxHttpFetcher.DEFAULT_MAX_CONCURRENCY);
        });
    }

    public static ThreeCxHttpTranslator translator(KameletParameters p) {
        return new ThreeCxHttpTranslator(p.sourceId(), mapping(p));
    }

    /** custom1/custom2, shared by the three 3CX kamelets. */
    static ThreeCxProfileMapping mapping(KameletParameters p) {
        return p.build(() -> ThreeCxProfileMapping.fromOptions(p.text("custom1"), p.text("custom2")));
    }
}
