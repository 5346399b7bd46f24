package dev.embedstream.writer;

import java.util.List;

/**
 * Outcome of one batch: per-collection counts, and the changes refused for good (with the position
 * of each in the input) that belong in the dead-letter topic.
 */
public record WriteResult(List<UpsertResult> collections, List<Rejected> rejected, List<IndexChange> indexChanges) {

    /** A change that can never be written as it is. */
    public record Rejected(int position, Change change, String reason) {
    }

    public WriteResult {
        collections = List.copyOf(collections);
        rejected = List.copyOf(rejected);
        indexChanges = List.copyOf(indexChanges);
    }

    public WriteResult(List<UpsertResult> collections, List<Rejected> rejected) {
        this(collections, rejected, List.of());
    }

    public int documentsWritten() {
        return collections.stream().mapToInt(r -> r.inserted() + r.replaced()).sum();
    }
}
