package dev.embedstream.app.bench;

import dev.embedstream.app.corpus.DebianDescriptions;
import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.maintenance.EfSearchTuner;
import dev.embedstream.writer.Change;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 5: recall@10 against exact search and p50/p95 latency per ef_search, on vectors of the
 * local model over real text (Debian's package descriptions: each distinct summary and body), and
 * the tuned default. The vectors are kept in a schema of their own between runs (embedding 100,000
 * texts on 2 cores took 9.5 minutes), keyed by size and model, so a second run only measures.
 */
public final class SearchBench {

    static final String SCHEMA = "bench_search_cache";
    private static final List<Integer> EF_VALUES = List.of(20, 40, 80, 100, 200);
    private static final int QUERIES = 200;
    private static final int BATCH = 64;

    private final WriterConfig writerConfig;
    private final java.nio.file.Path corpus;
    private final PrintStream out;

    public SearchBench(WriterConfig writerConfig, java.nio.file.Path corpus, PrintStream out) {
        this.writerConfig = writerConfig;
        this.corpus = corpus;
        this.out = out;
    }

    public void run(BenchReport report, EmbeddingProvider model, int docs) throws Exception {
        List<DebianDescriptions.Text> texts = DebianDescriptions.distinctTexts(corpus, 5);
        if (docs > texts.size()) {
            throw new IllegalArgumentException("--search-docs " + docs + " is more than the " + texts.size()
                    + " distinct texts of " + corpus);
        }
        String collection = "search_deb_" + docs + "_" + (model.model().name() + "_" + model.model().variant())
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "");
        collection = collection.substring(0, Math.min(40, collection.length()));
        try (VectorStore store = VectorStore.open(writerConfig.withSchema(SCHEMA))) {
            Generation g = store.ensureCollection(collection, null, Generation.PROVIDER_LOCAL, model.model(), 0,
                    writerConfig.hnswM(), writerConfig.hnswEfConstruction()).active();
            if (!g.model().equals(model.model())) {
                throw new IllegalStateException("bench collection " + collection + " holds " + g.model().key());
            }
            long have = store.countDocuments(collection);
            if (have < docs) {
                embed(store, model, collection, texts.subList(0, docs), have);
            } else {
                out.printf("  search: reusing %,d vectors of %s in schema %s%n", have, model.model().key(), SCHEMA);
            }
            out.printf("  search: recall@10 of %d sampled queries against exact search…%n", QUERIES);
            EfSearchTuner.Result r = new EfSearchTuner(store.dataSource(), SCHEMA).tune(collection, QUERIES, 10,
                    EfSearchTuner.DEFAULT_TARGET, EF_VALUES, false);
            out.print(r.table());
            String scenario = "5 search, " + String.format("%,d", r.tableRows()) + " vectors";
            report.reference(scenario, "exact search (no index)", r.exactP95Millis(), "ms p95",
                    String.format(Locale.ROOT, "p50 %.1f ms; %s, %,d Debian package summaries and descriptions", r.exactP50Millis(),
                            model.model().key(), docs));
            for (EfSearchTuner.Row row : r.rows()) {
                report.reference(scenario, String.format(Locale.ROOT, "ef_search %d: recall@10 %.3f", row.efSearch(),
                        row.recall()), row.p95Millis(), "ms p95", String.format(Locale.ROOT, "p50 %.2f ms", row.p50Millis()));
            }
            EfSearchTuner.Row tuned = r.chosen() == null ? null
                    : r.rows().stream().filter(x -> x.efSearch() == r.chosen()).findFirst().orElseThrow();
            if (tuned == null) {
                EfSearchTuner.Row best = r.rows().get(r.rows().size() - 1);
                report.ratio(scenario, "tuned default: recall@10", best.recall(), "recall", best.recall(), 0.95, true,
                        "no ef_search up to " + best.efSearch() + " reached 0.95");
                return;
            }
            report.ratio(scenario, "tuned default ef_search " + tuned.efSearch() + ": recall@10", tuned.recall(), "recall",
                    tuned.recall(), 0.95, true, "the smallest ef_search with recall@10 >= 0.95 (what `embedstream tune` stores)");
            report.ratio(scenario, "tuned default: p95 / exact p95", tuned.p95Millis(), "ms p95",
                    tuned.p95Millis() / r.exactP95Millis(), 0.1, false, String.format(Locale.ROOT,
                            "%.2f ms vs %.1f ms exact: %.0fx faster", tuned.p95Millis(), r.exactP95Millis(),
                            r.exactP95Millis() / tuned.p95Millis()));
        }
    }

    private void embed(VectorStore store, EmbeddingProvider model, String collection, List<DebianDescriptions.Text> texts,
                       long have) {
        int docs = texts.size();
        out.printf("  search: embedding %,d texts with %s (kept in schema %s for later runs)…%n", docs - have,
                model.model().key(), SCHEMA);
        long start = System.nanoTime();
        List<DebianDescriptions.Text> batch = new ArrayList<>(BATCH);
        long done = have;
        long lastPrint = start;
        for (DebianDescriptions.Text e : texts.subList((int) have, docs)) {
            batch.add(e);
            if (batch.size() == BATCH) {
                done += write(store, model, collection, batch);
                batch.clear();
                if (System.nanoTime() - lastPrint > 15_000_000_000L) {
                    lastPrint = System.nanoTime();
                    double rate = (done - have) / ((lastPrint - start) / 1e9);
                    out.printf("    %,d / %,d (%.0f texts/s, about %.0f s left)%n", done, docs, rate, (docs - done) / rate);
                }
            }
        }
        if (!batch.isEmpty()) {
            write(store, model, collection, batch);
        }
    }

    private static int write(VectorStore store, EmbeddingProvider model, String collection,
                             List<DebianDescriptions.Text> batch) {
        List<String> pieces = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (DebianDescriptions.Text e : batch) {
            List<String> chunks = model.chunk(e.text(), 0);
            pieces.addAll(chunks);
            counts.add(chunks.size());
        }
        List<float[]> vectors = model.embed(pieces);
        List<Change> changes = new ArrayList<>(batch.size());
        int next = 0;
        for (int i = 0; i < batch.size(); i++) {
            DebianDescriptions.Text e = batch.get(i);
            List<Chunk> chunks = new ArrayList<>();
            for (int c = 0; c < counts.get(i); c++, next++) {
                chunks.add(new Chunk(c, pieces.get(next), vectors.get(next)));
            }
            changes.add(new Change.Upsert(new EmbeddedDocument(collection, e.id(), 1L,
                    ContentHash.of(model.model(), "bench", e.text()), ContentHash.ofText(e.text()), model.model(),
                    Map.of(), chunks, null, false, null)));
        }
        store.write(changes);
        return batch.size();
    }
}
