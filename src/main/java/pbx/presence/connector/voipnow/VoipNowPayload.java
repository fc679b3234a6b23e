package pbx.presence.connector.voipnow;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one poll fetched: the presence pages, in the order they were requested. Together they
 * hold every extension exactly once (the fetcher pages to completion or fails).
 */
public record VoipNowPayload(List<VoipNowPage> pages) {

    public VoipNowPayload {
        pages = List.copyOf(pages);
    }

    /** Parses raw HTTP 200 bodies (tests, tools), labelled {@code page 1}, {@code page 2} …. */
    public static VoipNowPayload ofBodies(List<byte[]> bodies) {
        List<VoipNowPage> pages = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            String label = "page " + (i + 1);
            pages.add(VoipNowPage.parse(bodies.get(i), label));
        }
        return new VoipNowPayload(pages);
    }

    public static VoipNowPayload ofBodies(byte[]... bodies) {
        return ofBodies(List.of(bodies));
    }

    public int entryCount() {
        return pages.stream().mapToInt(p -> p.entries().size()).sum();
    }

    @Override
    public String toString() {
        return "VoipNowPayload[" + pages.size() + " pages, " + entryCount() + " entries]";
    }
}
