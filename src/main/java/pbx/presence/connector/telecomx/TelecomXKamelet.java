package pbx.presence.connector.telecomx;

import pbx.presence.connector.KameletParameters;

import java.time.Clock;
import java.time.Duration;

/** The beans of {@code telecomx-presence-source.kamelet.yaml}, made from its parameters. */
public final class TelecomXKamelet {

    private TelecomXKamelet() {
    }

    public static TelecomXFetcher fetcher(KameletParameters p) {
        return p.build(() -> {
            TelecomXMode mode;
            try {
                mode = p.text("mode") == null ? TelecomXMode.EMPLOYEES : TelecomXMode.parse(p.text("mode"));
            } catch (IllegalArgumentException e) {
                throw p.invalid("mode", "employees or extensions");
            }
            TelecomXFetcher.Options options = new TelecomXFetcher.Options(mode,
                    p.integer("pageSize", TelecomXFetcher.DEFAULT_PAGE_SIZE, 1, TelecomXFetcher.MAX_PAGE_SIZE),
                    p.integer("maxPages", TelecomXFetcher.DEFAULT_MAX_PAGES, 1, Integer.MAX_VALUE),
                    p.text("tokenHeader"), p.text("tokenScheme"));
            return new TelecomXFetcher(p.required("baseUrl"), p.secret("username"), p.secret("password"), options,
                    p.http(Duration.ofSeconds(10)), Clock.systemUTC());
        });
    }

    public static TelecomXTranslator translator(KameletParameters p) {
        return new TelecomXTranslator(p.sourceId(), p.flag("whitelistAcceptsCalls", false));
    }
}
