package dev.embedstream.app.bench;

import dev.embedstream.app.corpus.SampleCorpus;
import java.util.List;

/** A document the bench publishes: its id, the exact text embedded, and a category for metadata. */
public record BenchDoc(String id, String text, String category) {

    /** The generated corpus's entries, title and body joined as they are embedded. */
    static List<BenchDoc> of(List<SampleCorpus.Entry> entries) {
        return entries.stream().map(e -> new BenchDoc(e.id(), e.text(), e.category())).toList();
    }
}
