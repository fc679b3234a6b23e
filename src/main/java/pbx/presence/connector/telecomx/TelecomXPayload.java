package pbx.presence.connector.telecomx;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One poll's raw bodies, as fetched: in {@link TelecomXMode#EMPLOYEES} mode the single
 * {@code /pbx/app/employees} body, in {@link TelecomXMode#EXTENSIONS} mode every
 * {@code /pbx/extension} page in offset order. The translator turns it into canonical records.
 */
public record TelecomXPayload(TelecomXMode mode, List<byte[]> pages) {

    public TelecomXPayload {
        Objects.requireNonNull(mode, "mode");
        pages = List.copyOf(pages);
    }

    public static TelecomXPayload employees(byte[] body) {
        return new TelecomXPayload(TelecomXMode.EMPLOYEES, List.of(body));
    }

    public static TelecomXPayload employees(String body) {
        return employees(body.getBytes(StandardCharsets.UTF_8));
    }

    public static TelecomXPayload extensionPages(List<byte[]> pages) {
        return new TelecomXPayload(TelecomXMode.EXTENSIONS, pages);
    }

    @Override
    public String toString() {
        long bytes = pages.stream().mapToLong(p -> p.length).sum();
        return "TelecomXPayload[" + mode + ", " + pages.size() + " page(s), " + bytes + " bytes]";
    }
}
