package pbx.presence.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The store keeps JSON deflate-compressed with a preset dictionary of the event format's own field
 * names and common values: a 1.4 KB event shrinks to a few hundred bytes, which with small pages is
 * what keeps a poll with 1,000 changes under 2 MB of writes (docs/benchmarks.md). The zlib header
 * records whether (and which, by checksum) dictionary was used, so the rows stay readable; change
 * the dictionary only with a migration that rewrites them.
 */
final class Deflated {

    /** Never change: stored rows depend on it (see the class comment). */
    private static final byte[] DICTIONARY = ("\"devices\":[{\"id\":\"\",\"userAgent\":\"\",\"online\":true,\"dnd\":false,"
            + "\"expiresAt\":null}] NOT_REGISTERED EXPIRED NOT_REQUIRED OFFLINE DND AWAY BUSY RINGING DIALING HOLD UNAVAILABLE "
            + "OUT_OF_OFFICE PROFILE_AWAY PROFILE_OUT_OF_OFFICE CHAT_DND CHAT_OFFLINE CALLS_BLOCKED_BY_STATUS SOURCE_DOWN "
            + "LOGGED_OUT PAUSED \"failures\":\"error\":\"sourceId\":pbx.source.down pbx.source.up pbx.extension.added "
            + "pbx.extension.removed \"changed\":[\"line\",\"activeCalls\",\"presence\",\"presenceLabel\",\"registration\","
            + "\"availability\",\"acceptsCalls\",\"reasons\"]"
            + "{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/pbx-presence/sources/\",\"type\":\"pbx.presence.changed\","
            + "\"subject\":\"\",\"time\":\"2026-12-01T00:00:00.000000000Z\",\"datacontenttype\":\"application/json\",\"sequence\":1,"
            + "\"data\":{\"before\":{\"source\":\"\",\"vendor\":\"3cx-callcontrol\",\"extension\":\"\",\"extensionId\":null,"
            + "\"name\":\"\",\"enabled\":true,\"presence\":\"AVAILABLE\",\"presenceLabel\":\"Available\",\"dnd\":null,"
            + "\"chat\":\"ONLINE\",\"line\":\"TALKING\",\"activeCalls\":1,\"callWaiting\":null,\"registration\":\"REGISTERED\","
            + "\"devices\":[],\"agent\":\"LOGGED_IN\",\"queues\":[],\"allowedCalls\":null,\"presenceAcceptsCalls\":null,"
            + "\"availability\":\"BUSY\",\"acceptsCalls\":false,\"reasons\":[\"ON_CALL\"],\"vendorStatus\":{\"Enabled\":true,"
            + "\"UserStatus\":\"Available\",\"CurrentProfile\":\"Available\",\"CHATSTATUS\":\"0\",\"LOGGED_IN_QUEUES\":\"\","
            + "\"ActiveConnections\":1,\"IsRegistered\":true,\"QueueStatus\":1,\"Status\":0},\"observedAt\":\"2026-12-01T00:00:00Z\"},"
            + "\"after\":{\"source\":\"\",\"vendor\":\"3cx-callcontrol\",\"extension\":\"\",\"extensionId\":null,"
            + "\"name\":\"\",\"enabled\":true,\"presence\":\"AVAILABLE\",\"presenceLabel\":\"Available\",\"dnd\":null,"
            + "\"chat\":\"ONLINE\",\"line\":\"IDLE\",\"activeCalls\":0,\"callWaiting\":null,\"registration\":\"REGISTERED\","
            + "\"devices\":[],\"agent\":\"LOGGED_IN\",\"queues\":[],\"allowedCalls\":null,\"presenceAcceptsCalls\":null,"
            + "\"availability\":\"AVAILABLE\",\"acceptsCalls\":true,\"reasons\":[],\"vendorStatus\":{\"Enabled\":true,"
            + "\"UserStatus\":\"Available\",\"CurrentProfile\":\"Available\",\"CHATSTATUS\":\"0\",\"LOGGED_IN_QUEUES\":\"\","
            + "\"ActiveConnections\":0,\"IsRegistered\":true,\"QueueStatus\":1,\"Status\":0},\"observedAt\":\"2026-12-01T00:00:00Z\"},"
            + "\"changed\":[\"line\",\"activeCalls\",\"availability\",\"acceptsCalls\",\"reasons\"]}}")
            .getBytes(StandardCharsets.UTF_8);

    private Deflated() {
    }

    /**
     * One deflater and one inflater per thread, reset between uses: creating zlib's state (a few
     * hundred KB of native memory) for every row cost more than compressing the row. (The level
     * matters little here: on an event row level 1 saved under 10 % of the time and wrote 16 % more.)
     */
    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION));
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(Inflater::new);
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[8192]);

    static byte[] of(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        Deflater d = DEFLATER.get();
        d.reset();
        d.setDictionary(DICTIONARY);
        d.setInput(in);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 3 + 64);
        byte[] buf = BUFFER.get();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        return out.toByteArray();
    }

    /** The text back; {@link IllegalArgumentException} when the bytes are not deflated data (a damaged row). */
    static String text(byte[] data) {
        Inflater inf = INFLATER.get();
        inf.reset();
        try {
            inf.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4 + 64);
            byte[] buf = BUFFER.get();
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && inf.needsDictionary()) {
                    inf.setDictionary(DICTIONARY);
                    continue;
                }
                if (n == 0 && inf.needsInput()) {
                    throw new IllegalArgumentException("truncated compressed data");
                }
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not compressed JSON (" + e.getMessage() + ")", e);
        }
    }
}
