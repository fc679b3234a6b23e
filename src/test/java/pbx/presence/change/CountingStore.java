package pbx.presence.change;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Instrumentation, not a stand-in: every call goes to the real store underneath; this only counts
 * what the change detector reads and writes, so a test can see that a poll with nothing changed reads
 * nothing and that a poll with changes reads exactly the extensions that moved; and it can fail one
 * chosen commit, as a full or broken disk would, before that commit reaches the store.
 */
final class CountingStore implements EventStore {

    private final EventStore store;
    int scans;
    int commits;
    /** The commit (counted from 1 since the last reset) that fails as a broken disk would, before it reaches the store; 0 for none. */
    int failCommit;
    final List<List<String>> extensionReads = new ArrayList<>();

    CountingStore(EventStore store) {
        this.store = store;
    }

    @Override
    public Optional<SourceState> scan(String sourceId, BiConsumer<String, ExtensionState> each) {
        scans++;
        return store.scan(sourceId, each);
    }

    @Override
    public Map<String, ExtensionState> loadExtensions(String sourceId, Collection<String> extensions) {
        extensionReads.add(List.copyOf(extensions));
        return store.loadExtensions(sourceId, extensions);
    }

    @Override
    public Optional<SourceState> loadSource(String sourceId) {
        return store.loadSource(sourceId);
    }

    @Override
    public void commit(Commit commit) {
        if (++commits == failCommit) {
            throw new StoreException("disk I/O error (commit " + commits + " made to fail by the test)");
        }
        store.commit(commit);
    }

    @Override
    public void commit(Commit commit, Fencing.Fence fence) {
        commits++;
        store.commit(commit, fence);
    }

    /** Forgets what was counted so far. */
    void reset() {
        scans = 0;
        commits = 0;
        failCommit = 0;
        extensionReads.clear();
    }
}
