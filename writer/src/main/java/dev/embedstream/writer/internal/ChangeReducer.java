package dev.embedstream.writer.internal;

import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.writer.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces a batch, in arrival order, to at most one change per document, as if applied one by one:
 * a later delete wins; of two upserts the newer version wins (equal or absent versions: the later
 * one); an upsert after a delete re-creates the document, so its ids are reported to be deleted
 * first (otherwise the stored version could make the re-created one look stale).
 */
public final class ChangeReducer {

    private ChangeReducer() {
    }

    /** One collection's share of a batch: the effective changes, and ids to delete before applying them. */
    public record Reduced(List<Change> changes, java.util.Set<String> deleteFirst) {
    }

    /** The effective changes grouped by collection, in first-seen order. */
    public static Map<String, Reduced> reduce(List<Change> changes) {
        Map<DocumentKey, Change> effective = new LinkedHashMap<>();
        java.util.Set<DocumentKey> recreated = new java.util.HashSet<>();
        for (Change change : changes) {
            Change before = effective.get(change.key());
            if (before instanceof Change.Delete && change instanceof Change.Upsert) {
                recreated.add(change.key());
            } else if (change instanceof Change.Delete) {
                recreated.remove(change.key());
            }
            effective.merge(change.key(), change, ChangeReducer::later);
        }
        Map<String, Reduced> byCollection = new LinkedHashMap<>();
        for (Change change : effective.values()) {
            Reduced r = byCollection.computeIfAbsent(change.key().collection(),
                    c -> new Reduced(new ArrayList<>(), new java.util.HashSet<>()));
            r.changes().add(change);
            if (recreated.contains(change.key())) {
                r.deleteFirst().add(change.key().id());
            }
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
