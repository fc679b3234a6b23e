package pbx.presence.connector.threecx;

import pbx.presence.connector.KameletParameters;
import pbx.presence.connector.http.UrlFetcher;

import java.time.Duration;

/** The beans of {@code 3cx-callcontrol-presence-source.kamelet.yaml}, made from its parameters. */
public final class ThreeCxCallControlKamelet {

    private ThreeCxCallControlKamelet() {
    }

    public static UrlFetcher fetcher(KameletParameters p) {
        return p.build(() -> {
            return new UrlFetcher(p.required("url"), p.http(Duration.ofSeconds(5)));
        });
    }

    public static ThreeCxCallControlTranslator translator(KameletParameters p) {
        return new ThreeCxCallControlTranslator(p.sourceId(), ThreeCxHttpKamelet.mapping(p), p.flag("ignoreChatStatus", false));
    }
}
