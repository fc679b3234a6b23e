package pbx.presence.connector.telphin;

import pbx.presence.connector.KameletParameters;
import pbx.presence.connector.http.VendorHttp;

import java.time.Clock;
import java.time.Duration;

/** The beans of {@code telphin-presence-source.kamelet.yaml}, made from its parameters. */
public final class TelphinKamelet {

    private TelphinKamelet() {
    }

    public static TelphinFetcher fetcher(KameletParameters p) {
        return p.build(() -> {
            VendorHttp.Settings http = p.http(Duration.ofSeconds(5));
            TelphinFetcher.Settings s = new TelphinFetcher.Settings(p.required("baseUrl"), p.text("accountId"),
                    p.integer("pageSize", TelphinFetcher.DEFAULT_PAGE_SIZE, 1, 10_000),
                    p.integer("maxPages", TelphinFetcher.DEFAULT_MAX_PAGES, 1, 1_000_000),
                    http.requestTimeout(), http.maxBodyBytes(), !http.verifyTls(),
                    p.flag("registration", true) ? p.text("registrationPath", TelphinFetcher.DEFAULT_REGISTRATION_PATH) : null,
                    p.integer("registrationConcurrency", TelphinFetcher.DEFAULT_REGISTRATION_CONCURRENCY, 1, 256),
                    p.flag("currentCalls", true), http.trustCertificates());
            return new TelphinFetcher(s, p.secret("clientId"), p.secret("clientSecret"), Clock.systemUTC());
        });
    }

    public static TelphinTranslator translator(KameletParameters p) {
        return p.build(() -> new TelphinTranslator(p.sourceId(), p.text("statusField"),
                TelphinPresenceMapping.fromOptions(p.text("availableStatuses"), p.text("statusPresence"))));
    }
}
