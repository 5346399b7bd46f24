package dev.embedstream.embedder;

import dev.embedstream.contracts.DocumentKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The content hash this worker last sent on for each recently seen document, bounded in size.
 * A document whose stored state is older than what is still on its way must not be skipped. Once
 * an entry had to be dropped for room, a document not in the map may have been, so it is no longer
 * vouched for.
 */
final class RecentOutputs {

    /** Marks a delete on its way: nothing stored may be trusted for that document until it lands. */
    static final String DELETED = "(deleted)";

    private final Map<DocumentKey, String> hashes;
    private boolean overflowed;

    RecentOutputs(int limit) {
        this.hashes = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<DocumentKey, String> eldest) {
                boolean full = size() > limit;
                overflowed |= full;
                return full;
            }
        };
    }

    synchronized void put(DocumentKey key, String hash) {
        hashes.put(key, Objects.requireNonNull(hash));
    }

    /** True unless this worker recently sent on (or may have sent on) other content for the document. */
    synchronized boolean agrees(DocumentKey key, String hash) {
        String last = hashes.get(key);
        return last == null ? !overflowed : Objects.equals(last, hash);
    }
}
