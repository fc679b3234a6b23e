package pbx.presence.connector.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit; beyond it, cancels the download and fails with
 * {@link TooLarge}, so a vendor that sends far more than expected cannot exhaust the heap. Used by
 * every connector's HTTP client.
 *
 * <p>Memory: the body is held once. With a {@code Content-Length} (every vendor API we know sends
 * one) the body goes straight into one array of exactly that size, and a declared length above the
 * limit fails before a byte is read. Without one (chunked) the client's own buffers are kept as they
 * arrive and copied once into an exact array at the end (the JDK's own byte-array subscriber does the
 * same), so the peak is about twice the body for that moment only. A growing buffer (a
 * {@code ByteArrayOutputStream}) would need up to three times the body while it doubles, and a
 * fourth copy for {@code toByteArray()}.
 */
public final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body passed the limit. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("response body larger than " + limit + " bytes");
        }
    }

    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    /** The body when its length was declared, else null. */
    private final byte[] declared;
    private int filled;
    /** The client's buffers when no length was declared. */
    private final List<ByteBuffer> chunks = new ArrayList<>();
    private long received;
    private Flow.Subscription subscription;

    /** A body of unknown length. */
    public LimitedBody(long limit) {
        this(limit, -1);
    }

    /**
     * @param declaredLength the response's {@code Content-Length}, or -1 when it has none
     */
    public LimitedBody(long limit, long declaredLength) {
        this.limit = limit;
        this.declared = declaredLength >= 0 && declaredLength <= limit && declaredLength <= Integer.MAX_VALUE - 8
                ? new byte[(int) declaredLength] : null;
        if (declaredLength > limit) {
            result.completeExceptionally(new TooLarge(limit));
        }
    }

    /** A body handler that passes each response's {@code Content-Length} on. */
    public static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> new LimitedBody(limit, info.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if (received + n > limit || (declared != null && filled + n > declared.length)) {
                tooLarge();
                return;
            }
            received += n;
            if (declared != null) {
                b.get(declared, filled, n);
                filled += n;
            } else {
                chunks.add(b);
            }
        }
    }

    private void tooLarge() {
        chunks.clear();
        subscription.cancel();
        result.completeExceptionally(new TooLarge(limit));
    }

    @Override
    public void onError(Throwable t) {
        chunks.clear();
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        if (result.isDone()) {
            return;
        }
        if (declared != null) {
            // the client checks the framing; a shorter body than declared ends in onError, not here
            result.complete(filled == declared.length ? declared : java.util.Arrays.copyOf(declared, filled));
            return;
        }
        byte[] body = new byte[(int) received];
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            ByteBuffer b = chunks.set(i, null); // each buffer can go as soon as it is copied
            int n = b.remaining();
            b.get(body, at, n);
            at += n;
        }
        chunks.clear();
        result.complete(body);
    }
}
