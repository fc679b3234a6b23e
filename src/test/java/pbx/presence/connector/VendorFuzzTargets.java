package pbx.presence.connector;

import pbx.presence.connector.telecomx.TelecomXTranslator;
import pbx.presence.connector.telphin.TelphinPayload;
import pbx.presence.connector.telphin.TelphinTranslator;
import pbx.presence.connector.threecx.ThreeCxProfileMapping;
import pbx.presence.connector.threecx.ThreeCxV20Payload;
import pbx.presence.connector.threecx.ThreeCxV20Translator;
import pbx.presence.connector.voipnow.VoipNowPayload;
import pbx.presence.connector.voipnow.VoipNowTranslator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static pbx.presence.connector.TranslatorFuzzTest.fixture;
import static pbx.presence.connector.TranslatorFuzzTest.fixtures;

/**
 * Fuzz targets of the connectors beyond the 3CX text and Call Control APIs: each mutates one body
 * of the vendor's payload (built from the seed documents) while the others stay as fetched.
 */
final class VendorFuzzTargets {

    private VendorFuzzTargets() {
    }

    static List<TranslatorFuzzTest.Target> all(Instant now) {
        List<TranslatorFuzzTest.Target> t = new ArrayList<>();

        VoipNowTranslator voipnow = new VoipNowTranslator("fuzz");
        t.add(new TranslatorFuzzTest.Target("voipnow presence page", true,
                fixtures("voipnow", "seed-001-example.json", "several.json", "all-strings.json"),
                b -> voipnow.translate(VoipNowPayload.ofBodies(b), now)));

        TelphinTranslator telphin = new TelphinTranslator("fuzz");
        byte[] statuses = fixture("telphin", "statuses.json");
        byte[] page = fixture("telphin", "extensions-page-1.json");
        byte[] calls = fixture("telphin", "current-calls.json");
        t.add(new TranslatorFuzzTest.Target("telphin extensions page", true,
                fixtures("telphin", "extensions-page-1.json", "extensions-lenient.json"),
                b -> telphin.translate(TelphinPayload.fromBodies(statuses, List.of(b), Map.of(), calls), now)));
        t.add(new TranslatorFuzzTest.Target("telphin statuses", true, fixtures("telphin", "statuses.json"),
                b -> telphin.translate(TelphinPayload.fromBodies(b, List.of(page), Map.of(), calls), now)));

        TelecomXTranslator telecomx = new TelecomXTranslator("fuzz");
        t.add(new TranslatorFuzzTest.Target("telecomx employees", true, fixtures("telecomx", "employees.json"),
                b -> telecomx.employees(b, now)));
        t.add(new TranslatorFuzzTest.Target("telecomx extensions page", true,
                fixtures("telecomx", "extensions-page-0.json", "extensions-array-page.json"),
                b -> telecomx.extensionPages(List.of(b), now)));

        ThreeCxV20Translator v20 = new ThreeCxV20Translator("fuzz", ThreeCxProfileMapping.defaults());
        byte[] users = fixture("3cx-v20", "users-page-1.json");
        byte[] callControl = fixture("3cx-v20", "callcontrol.json");
        t.add(new TranslatorFuzzTest.Target("3cx-v20 users page", true, fixtures("3cx-v20", "users-page-1.json", "users-page-2.json"),
                b -> v20.translate(new ThreeCxV20Payload(List.of(b), callControl), now)));
        t.add(new TranslatorFuzzTest.Target("3cx-v20 call control", true, fixtures("3cx-v20", "callcontrol.json"),
                b -> v20.translate(new ThreeCxV20Payload(List.of(users), b), now)));
        return t;
    }
}
