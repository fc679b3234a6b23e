package pbx.presence.store;

import java.nio.file.Path;

/**
 * Where the store lives. {@code url} empty: the embedded SQLite file {@code file}; else a
 * {@code jdbc:postgresql://…} URL with its user and password (the password is never part of
 * {@link #toString()} or any message).
 */
public record StoreSettings(Path file, String url, String username, String password, int poolSize) {

    public boolean embedded() {
        return url == null || url.isBlank();
    }

    /** How messages name the store: the file, or the URL without its query string. */
    public String where() {
        if (embedded()) {
            return file.toString();
        }
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public String toString() {
        return "StoreSettings[" + where() + "]";
    }
}
