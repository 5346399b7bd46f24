package dev.embedstream.writer.internal;

import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.writer.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces a batch, in arrival order, to at most one change per document: a later delete wins, and of
 * two upserts the newer version wins (equal or absent versions: the later one), as if applied one by one.
 */
public final class ChangeReducer {

    private ChangeReducer() {
    }

    /** The effective changes grouped by collection, in first-seen order. */
    public static Map<String, List<Change>> reduce(List<Change> changes) {
        Map<DocumentKey, Change> effective = new LinkedHashMap<>();
        for (Change change : changes) {
            effective.merge(change.key(), change, ChangeReducer::later);
        }
        Map<String, List<Change>> byCollection = new LinkedHashMap<>();
        for (Change change : effective.values()) {
            byCollection.computeIfAbsent(change.key().collection(), c -> new ArrayList<>()).add(change);
        }
        return byCollection;
    }

    private static Change later(Change earlier, Change next) {
        if (earlier instanceof Change.Upsert a && next instanceof Change.Upsert b) {
            Long va = a.document().version();
            Long vb = b.document().version();
            if (va != null && vb != null && vb < va) {
                return earlier;
            }
        }
        return next;
    }
}
