package dev.embedstream.writer.internal;

import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.writer.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reduces a batch, in arrival order, to what applying it one change at a time would leave: the
 * documents deleted anywhere in the batch (removed first, from every generation), then at most one
 * upsert per document and model among those after the document's last delete. Of two upserts the
 * newer version wins (equal or absent versions: the later one, unless it is a re-embed's replay
 * of an older offset).
 */
public final class ChangeReducer {

    private ChangeReducer() {
    }

    /** One collection's share of a batch: ids to delete first, then the upserts to apply. */
    public record Reduced(Set<String> deletes, List<EmbeddedDocument> upserts) {
    }

    /** The effective changes grouped by collection, in first-seen order. */
    public static Map<String, Reduced> reduce(List<Change> changes) {
        Map<String, Reduced> byCollection = new LinkedHashMap<>();
        Map<String, Map<String, EmbeddedDocument>> upserts = new LinkedHashMap<>();
        for (Change change : changes) {
            String collection = change.key().collection();
            Reduced r = byCollection.computeIfAbsent(collection, c -> new Reduced(new LinkedHashSet<>(), new ArrayList<>()));
            Map<String, EmbeddedDocument> effective = upserts.computeIfAbsent(collection, c -> new LinkedHashMap<>());
            String id = change.key().id();
            if (change instanceof Change.Upsert u) {
                effective.merge(id + '\u0000' + u.document().model().key(), u.document(), ChangeReducer::later);
            } else {
                r.deletes().add(id);
                effective.keySet().removeIf(k -> k.startsWith(id + '\u0000'));
            }
        }
        byCollection.forEach((collection, r) -> r.upserts().addAll(upserts.get(collection).values()));
        return byCollection;
    }

    private static EmbeddedDocument later(EmbeddedDocument earlier, EmbeddedDocument next) {
        Long va = earlier.version();
        Long vb = next.version();
        if (va != null && vb != null && !va.equals(vb)) {
            return vb < va ? earlier : next;
        }
        return replayedFromOlderOffset(next, earlier) ? earlier : next;
    }

    /** The rule the writer applies against stored rows, applied within one batch too. */
    private static boolean replayedFromOlderOffset(EmbeddedDocument candidate, EmbeddedDocument other) {
        return candidate.replayed() && candidate.sourceOffset() != null && other.sourceOffset() != null
                && candidate.sourceOffset() < other.sourceOffset();
    }
}
