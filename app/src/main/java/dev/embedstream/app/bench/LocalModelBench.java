package dev.embedstream.app.bench;

import dev.embedstream.app.corpus.DebianDescriptions;
import dev.embedstream.app.corpus.DebianDescriptions.Description;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.EmbeddingProvider;
import dev.embedstream.embedder.LocalModels;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Scenario 3, the local model, on real text (Debian's package descriptions): our default path
 * against the naive loop every in-process peer stops at (LangChain4j's all-MiniLM-L6-v2, fp32, one
 * text per call), the pipeline end to end against both, and the retrieval quality of the default
 * variant against the fp32 reference on a labelled task (each summary line must find its own body).
 */
public final class LocalModelBench {

    private static final String SCENARIO = "3 local model";
    private static final int TOP_K = 10;
    private static final int WARM_UP = 32;
    /** Documents of the untimed pipeline round that lets the JIT compile the path first. */
    private static final int PIPELINE_WARM_UP = 500;

    private final PipelineBench pipeline;
    private final EmbedderConfig embedderConfig;
    private final Path corpus;
    private final PrintStream log;

    public LocalModelBench(PipelineBench pipeline, EmbedderConfig embedderConfig, Path corpus, PrintStream log) {
        this.pipeline = pipeline;
        this.embedderConfig = embedderConfig;
        this.corpus = corpus;
        this.log = log;
    }

    /** Embedded texts and the seconds it took. */
    private record Embedded(List<float[]> vectors, double seconds) {
    }

    /** Runs the scenario with {@code model} (the configured default) over {@code count} real texts. */
    public void run(BenchReport report, EmbeddingProvider model, int count) throws Exception {
        List<Description> pairs = pairs(model, count);
        List<String> bodies = pairs.stream().map(Description::body).toList();
        String key = model.model().key();
        AllMiniLmL6V2EmbeddingModel naive = new AllMiniLmL6V2EmbeddingModel();
        bodies.stream().limit(WARM_UP).forEach(naive::embed);
        model.embed(bodies.subList(0, WARM_UP));
        log.printf("  naive loop and %s over %,d Debian package descriptions (%.0f tokens on average), interleaved…%n",
                key, bodies.size(), meanTokens(model, bodies));
        List<float[]> vectors = new ArrayList<>(bodies.size());
        double[] seconds = interleaved(naive, model, bodies, vectors);
        double naiveRate = bodies.size() / seconds[0];
        double oursRate = bodies.size() / seconds[1];
        List<BenchDoc> docs = pairs.stream().map(d -> new BenchDoc(d.id(), d.body(), "debian")).toList();
        // Run alone, the pipeline's first round spent 6.5 s of a 11.2 s run compiling the path (ratio 0.64,
        // against 0.76 after the other scenarios had run it): an untimed round first, as 1b does.
        int warmUp = Math.min(docs.size(), PIPELINE_WARM_UP);
        log.printf("  pipeline with %s: %,d documents through the same path first (not timed)…%n", key, warmUp);
        pipeline.pipelineSeconds(model, docs.subList(0, warmUp));
        // The loop above, the pipeline, the loop again: a drift of the machine's speed over the minute
        // weighs on both sides; the loop's figure is the mean of its two rounds.
        log.printf("  pipeline with %s: %,d documents published → committed rows…%n", key, bodies.size());
        double pipelineSeconds = pipeline.pipelineSeconds(model, docs);
        String breakdown = pipeline.lastBreakdown();
        log.printf("  %s in a loop again…%n", key);
        CpuSplit loopCpu = CpuSplit.start();
        double loopAgain = embedInBatches(model, bodies).seconds();
        double loopCpuSeconds = loopCpu.jvmSeconds();
        String loopSplit = loopCpu.since();
        double loopRate = bodies.size() / ((seconds[1] + loopAgain) / 2);
        double pipelineRate = bodies.size() / pipelineSeconds;

        report.reference(SCENARIO, "naive: LangChain4j fp32, one text/call", naiveRate, "texts/s",
                String.format(Locale.ROOT, "%,d texts, AllMiniLmL6V2EmbeddingModel.embed per text", bodies.size()));
        report.ratio(SCENARIO, "default path " + key + " vs naive", oursRate, "texts/s", oursRate / naiveRate, 2.0, true,
                String.format(Locale.ROOT, "%s, batches of %d as the embedder sends them, tokenized once",
                        model, embedderConfig.batchDocuments()));
        report.ratio(SCENARIO, "pipeline with " + key + " vs naive", pipelineRate, "docs/s", pipelineRate / naiveRate, 1.8,
                true, String.format(Locale.ROOT, "publish → committed rows, %.1f s after an untimed %,d-document round; %s",
                        pipelineSeconds, warmUp, breakdown));
        report.ratio(SCENARIO, "pipeline vs the same model in a loop", pipelineRate, "docs/s", pipelineRate / loopRate, 0.9,
                true, String.format(Locale.ROOT, "the pipeline's own overhead around the model; the loop %.0f texts/s (mean"
                        + " of %.1f s before the pipeline and %.1f s after)", loopRate, seconds[1], loopAgain));
        databaseShare(report, docs, vectors, loopAgain, loopCpuSeconds, loopSplit);
        quality(report, model, pairs, vectors);
    }

    /**
     * What the database's HNSW inserts of the same vectors cost on their own, and the most of the loop's
     * speed the pipeline could keep on these cores if they were its only other work: the loop's CPU
     * and the database's, spread over every core, against the loop's time.
     */
    private void databaseShare(BenchReport report, List<BenchDoc> docs, List<float[]> vectors, double loopSeconds,
                               double loopCpuSeconds, String loopSplit) throws Exception {
        log.printf("  database alone: the same %,d vectors by one COPY into an HNSW-indexed table…%n", vectors.size());
        double databaseSeconds = pipeline.indexedCopySeconds(docs, vectors);
        int cores = Runtime.getRuntime().availableProcessors();
        double bound = loopSeconds / Math.max(loopSeconds, (loopCpuSeconds + databaseSeconds) / cores);
        report.reference(SCENARIO, "database alone: the same vectors into the HNSW index", databaseSeconds, "s",
                String.format(Locale.ROOT, "%,d vectors by one binary COPY (one backend, so ~%.1f s of one core) into an"
                        + " empty table with the collection's HNSW index; the loop used %.1f s of CPU in %.1f s: on %d"
                        + " core(s) shared with the database, the pipeline can keep at most %.2f of the loop's speed,"
                        + " before Kafka, the writer and the JIT take theirs; the loop's %s", vectors.size(), databaseSeconds,
                        loopCpuSeconds, loopSeconds, cores, bound, loopSplit));
    }

    /** Pairs whose body fits the model's window whole, so every path embeds exactly the same text. */
    private List<Description> pairs(EmbeddingProvider model, int count) {
        List<Description> pairs = new ArrayList<>(count);
        for (Description d : DebianDescriptions.uniquePairs(corpus, 11)) {
            if (model.countTokens(d.body()) <= model.model().maxTokens()) {
                pairs.add(d);
                if (pairs.size() == count) {
                    return pairs;
                }
            }
        }
        throw new IllegalStateException("the corpus " + corpus + " has only " + pairs.size()
                + " usable descriptions; --local-docs " + count + " wants more");
    }

    /**
     * Both paths over the same texts, half the texts each in turn, so a slow minute of this noisy
     * machine weighs on both: {naive seconds, ours seconds}; our vectors are added to {@code vectors}.
     */
    private double[] interleaved(AllMiniLmL6V2EmbeddingModel naive, EmbeddingProvider model, List<String> texts,
            List<float[]> vectors) {
        double[] seconds = new double[2];
        int half = texts.size() / 2;
        for (List<String> part : List.of(texts.subList(0, half), texts.subList(half, texts.size()))) {
            long start = System.nanoTime();
            part.forEach(naive::embed);
            seconds[0] += (System.nanoTime() - start) / 1e9;
            Embedded ours = embedInBatches(model, part);
            seconds[1] += ours.seconds();
            vectors.addAll(ours.vectors());
        }
        return seconds;
    }

    /** The embedder's own loop without Kafka: chunk each text, embed batches of the configured size. */
    private Embedded embedInBatches(EmbeddingProvider model, List<String> texts) {
        long start = System.nanoTime();
        List<float[]> vectors = new ArrayList<>(texts.size());
        List<String> batch = new ArrayList<>();
        for (String text : texts) {
            batch.addAll(model.chunk(text, embedderConfig.chunkOverlapTokens()));
            if (batch.size() >= embedderConfig.batchDocuments()) {
                vectors.addAll(model.embed(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            vectors.addAll(model.embed(batch));
        }
        if (vectors.size() != texts.size()) {
            throw new IllegalStateException(vectors.size() + " vectors for " + texts.size() + " texts that fit the window");
        }
        return new Embedded(vectors, (System.nanoTime() - start) / 1e9);
    }

    private void quality(BenchReport report, EmbeddingProvider model, List<Description> pairs, List<float[]> bodies)
            throws Exception {
        List<String> summaries = pairs.stream().map(Description::summary).toList();
        boolean isReference = model.model().equals(LocalModels.ALL_MINILM_L6_V2);
        try (EmbeddingProvider fp32 = isReference ? null
                : LocalModels.open(LocalModels.ALL_MINILM_L6_V2, embedderConfig.localModelOptions())) {
            EmbeddingProvider reference = isReference ? model : fp32;
            log.printf("  retrieval quality: %,d summaries against their bodies, %s and the fp32 reference…%n",
                    pairs.size(), model.model().key());
            Embedded refBodies = embedInBatches(reference, pairs.stream().map(Description::body).toList());
            Retrieval ours = Retrieval.of(embedInBatches(model, summaries).vectors(), bodies);
            Retrieval ref = Retrieval.of(embedInBatches(reference, summaries).vectors(), refBodies.vectors());
            report.reference(SCENARIO, "fp32 reference path (same engine)", pairs.size() / refBodies.seconds(), "texts/s",
                    "the model's canonical behaviour: its tokenizer, 256-token window, mean pooling, L2 norm");
            String variant = model.model().variant();
            report.ratio(SCENARIO, "recall@10 gap to fp32", ours.recall(), "recall", Math.abs(ours.recall() - ref.recall()),
                    0.01, false, gapNote(variant, ours.recall(), ref.recall(), pairs.size()));
            report.ratio(SCENARIO, "MRR gap to fp32", ours.mrr(), "MRR", Math.abs(ours.mrr() - ref.mrr()), 0.01, false,
                    gapNote(variant, ours.mrr(), ref.mrr(), pairs.size()));
            double[] cosines = IntStream.range(0, bodies.size())
                    .mapToDouble(i -> dot(bodies.get(i), refBodies.vectors().get(i))).toArray();
            report.reference(SCENARIO, "cosine to the fp32 vector, mean", mean(cosines), "cosine",
                    String.format(Locale.ROOT, "mean %.4f, min %.4f over %,d bodies", mean(cosines), min(cosines),
                            cosines.length));
        }
    }

    private static String gapNote(String variant, double ours, double reference, int pairs) {
        return String.format(Locale.ROOT, "%s %.4f, fp32 %.4f, over %,d summary → body pairs (exact search)", variant,
                ours, reference, pairs);
    }

    /** Recall@10 and mean reciprocal rank of each query's own answer, by exact search over all answers. */
    private record Retrieval(double recall, double mrr) {
        static Retrieval of(List<float[]> queries, List<float[]> answers) {
            int[] ranks = IntStream.range(0, queries.size()).parallel().map(i -> rank(queries.get(i), answers, i)).toArray();
            double recall = IntStream.of(ranks).filter(r -> r <= TOP_K).count() / (double) ranks.length;
            double mrr = IntStream.of(ranks).mapToDouble(r -> 1.0 / r).average().orElse(0);
            return new Retrieval(recall, mrr);
        }

        private static int rank(float[] query, List<float[]> answers, int own) {
            double score = dot(query, answers.get(own));
            int rank = 1;
            for (int j = 0; j < answers.size(); j++) {
                if (j != own && dot(query, answers.get(j)) > score) {
                    rank++;
                }
            }
            return rank;
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double meanTokens(EmbeddingProvider model, List<String> texts) {
        return texts.stream().mapToInt(model::countTokens).average().orElse(0);
    }

    private static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double min(double[] values) {
        return java.util.Arrays.stream(values).min().orElse(Double.NaN);
    }
}
