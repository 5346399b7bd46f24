package dev.embedstream.embedder;

import dev.embedstream.contracts.DocumentKey;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The content hash this worker last sent on for each recently seen document and model, bounded in
 * size. A document whose stored state is older than what is still on its way must not be skipped.
 * Once an entry had to be dropped for room, a document not in the map may have been, so it is no
 * longer vouched for.
 */
final class RecentOutputs {

    /** A delete on its way: nothing stored may be trusted for that document, whatever the model. */
    private static final Map<String, String> DELETED = Map.of();

    private final Map<DocumentKey, Map<String, String>> hashes;
    private boolean overflowed;

    RecentOutputs(int limit) {
        this.hashes = new LinkedHashMap<>(1024, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<DocumentKey, Map<String, String>> eldest) {
                boolean full = size() > limit;
                overflowed |= full;
                return full;
            }
        };
    }

    synchronized void put(DocumentKey key, String model, String hash) {
        Map<String, String> byModel = hashes.get(key);
        if (byModel == null || byModel == DELETED) {
            byModel = new HashMap<>(2);
            hashes.put(key, byModel);
        }
        byModel.put(model, Objects.requireNonNull(hash));
    }

    synchronized void deleted(DocumentKey key) {
        hashes.put(key, DELETED);
    }

    /** True unless this worker recently sent on (or may have sent on) other content for the document and model. */
    synchronized boolean agrees(DocumentKey key, String model, String hash) {
        Map<String, String> byModel = hashes.get(key);
        if (byModel == DELETED) {
            return false;
        }
        String last = byModel == null ? null : byModel.get(model);
        return last == null ? !overflowed : Objects.equals(last, hash);
    }
}
