package dev.embedstream.writer.internal;

import dev.embedstream.writer.Generation;
import dev.embedstream.writer.IndexChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counts, per generation, the vector rows one batch inserted, replaced and deleted. */
public final class IndexTally {

    private final Map<String, IndexChange> changes = new LinkedHashMap<>();

    public void add(Generation g, long inserted, long updated, long deleted) {
        changes.merge(g.collection() + "/" + g.number(),
                new IndexChange(g.collection(), g.number(), g.indexName(), g.vectorTable(), inserted, updated, deleted),
                (a, b) -> a.plus(b.inserted(), b.updated(), b.deleted()));
    }

    public List<IndexChange> changes() {
        return changes.values().stream().filter(c -> !c.isEmpty()).toList();
    }
}
