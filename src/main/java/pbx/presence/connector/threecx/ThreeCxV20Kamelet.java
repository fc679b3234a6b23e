package pbx.presence.connector.threecx;

import pbx.presence.connector.KameletParameters;

import java.time.Clock;

/** The beans of {@code 3cx-v20-presence-source.kamelet.yaml}, made from its parameters. */
public final class ThreeCxV20Kamelet {

    private ThreeCxV20Kamelet() {
    }

    public static ThreeCxV20Fetcher fetcher(KameletParameters p) {
        return p.build(() -> {
            ThreeCxV20Fetcher.Settings settings = new ThreeCxV20Fetcher.Settings(
                    p.integer("pageSize", ThreeCxV20Fetcher.DEFAULT_PAGE_SIZE, 1, ThreeCxV20Fetcher.MAX_PAGE_SIZE),
                    p.integer("maxUsers", ThreeCxV20Fetcher.DEFAULT_MAX_USERS, 1, Integer.MAX_VALUE),
                    p.http(ThreeCxV20Fetcher.DEFAULT_TIMEOUT));
            return new ThreeCxV20Fetcher(p.required("baseUrl"), p.secret("clientId"), p.secret("clientSecret"), settings,
                    Clock.systemUTC());
        });
    }

    public static ThreeCxV20Translator translator(KameletParameters p) {
        return new ThreeCxV20Translator(p.sourceId(), ThreeCxHttpKamelet.mapping(p));
    }
}
