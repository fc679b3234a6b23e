package pbx.presence.connector.voipnow;

import pbx.presence.connector.KameletParameters;
import pbx.presence.connector.http.VendorHttp;

import java.time.Clock;
import java.time.Duration;

/** The beans of {@code voipnow-presence-source.kamelet.yaml}, made from its parameters. */
public final class VoipNowKamelet {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private VoipNowKamelet() {
    }

    /** The fetcher; a bad parameter fails the route's start naming it. */
    public static VoipNowFetcher fetcher(KameletParameters p) {
        return p.build(() -> {
            VoipNowPaging paging = new VoipNowPaging(p.text("userId"), p.text("extension"),
                    p.integer("pageSize", VoipNowPaging.DEFAULT_PAGE_SIZE, 1, VoipNowPaging.MAX_COUNT),
                    p.integer("maxStartIndex", VoipNowPaging.MAX_START_INDEX, 0, Integer.MAX_VALUE),
                    p.flag("partitionByPrefix", true), p.text("prefixFilterOp"), VoipNowPaging.DEFAULT_MAX_REQUESTS);
            VendorHttp.Settings h = p.http(DEFAULT_TIMEOUT);
            VendorHttp.Settings http = new VendorHttp.Settings(h.connectTimeout(), h.requestTimeout(), h.maxBodyBytes(),
                    VoipNowFetcher.MAX_RETRY_AFTER, h.verifyTls(), h.trustCertificates());
            return new VoipNowFetcher(p.required("baseUrl"), p.secret("clientId"), p.secret("clientSecret"), paging, http,
                    Clock.systemUTC());
        });
    }

    public static VoipNowTranslator translator(KameletParameters p) {
        return new VoipNowTranslator(p.sourceId());
    }
}
