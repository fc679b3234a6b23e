package pbx.presence.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The store keeps JSON deflate-compressed: event and state JSON shrinks to about a quarter, which
 * is most of what keeps a poll with 1,000 changes under 2 MB of writes (docs/benchmarks.md).
 */
final class Deflated {

    private Deflated() {
    }

    static byte[] of(String text) {
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(in);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 3 + 64);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** The text back; {@link IllegalArgumentException} when the bytes are not deflated data (a damaged row). */
    static String text(byte[] data) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4 + 64);
            byte[] buf = new byte[8192];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new IllegalArgumentException("truncated compressed data");
                }
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not compressed JSON (" + e.getMessage() + ")", e);
        } finally {
            inf.end();
        }
    }
}
