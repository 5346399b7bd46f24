package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.Pipeline;
import dev.embedstream.app.corpus.SampleCorpus;
import dev.embedstream.app.internal.ProgressBar;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.Json;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.ingest.ImportReport;
import dev.embedstream.ingest.JsonlImporter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embedstream demo}: the main job end to end on the embedded defaults. Generates a sample
 * corpus, publishes it through Kafka, embeds it with the local model, writes it to an HNSW-indexed
 * pgvector table, then prints coverage and one search.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Publish a generated sample corpus, embed it with the local model, write it to pgvector, "
                + "print coverage and a search.")
public final class DemoCommand implements Callable<Integer> {

    private static final Duration STALL_TIMEOUT = Duration.ofMinutes(3);

    @Option(names = "--documents", defaultValue = "3000", description = "documents to generate (default ${DEFAULT-VALUE})")
    int documents;

    @Option(names = "--collection", defaultValue = "demo", description = "collection (default ${DEFAULT-VALUE}); dropped first")
    String collection;

    @Option(names = "--query", defaultValue = "how do I repot a plant",
            description = "the search to run at the end")
    String query;

    @Option(names = "--corpus-file", defaultValue = ".local/demo/corpus.jsonl")
    Path corpusFile;

    @Option(names = "--provider", description = "local (default) or openai")
    String provider;

    @Option(names = "--base-url", description = "OpenAI-compatible API base URL; with --provider openai and no URL "
            + "and no EMBEDSTREAM_OPENAI_API_KEY, the bundled simulator is started")
    String baseUrl;

    @Option(names = "--model", description = "embedding model for --provider openai")
    String model;

    @Option(names = "--dimensions", description = "vector dimensions for --provider openai (text-embedding-3 models)")
    Integer dimensions;

    @Override
    public Integer call() throws Exception {
        if (documents < 1) {
            throw new dev.embedstream.contracts.InvalidInputException("--documents must be at least 1");
        }
        Map<String, String> overrides = new java.util.HashMap<>();
        dev.embedstream.simulator.EmbeddingSimulator simulator = null;
        if (provider != null) {
            overrides.put(dev.embedstream.embedder.EmbedderConfig.PROVIDER, provider);
        }
        if (baseUrl != null) {
            overrides.put(dev.embedstream.embedder.OpenAiConfig.BASE_URL, baseUrl);
        }
        if (model != null) {
            overrides.put(dev.embedstream.embedder.OpenAiConfig.MODEL, model);
        }
        if (dimensions != null) {
            overrides.put(dev.embedstream.embedder.OpenAiConfig.DIMENSIONS, dimensions.toString());
        }
        ConfigLookup env = ConfigLookup.env();
        if ("openai".equals(provider) && baseUrl == null && env.raw(dev.embedstream.embedder.OpenAiConfig.API_KEY) == null
                && env.raw(dev.embedstream.embedder.OpenAiConfig.API_KEY_FALLBACK) == null) {
            simulator = dev.embedstream.simulator.EmbeddingSimulator.start(
                    dev.embedstream.simulator.SimulatorConfig.defaults().withApiKey("sk-demo"));
            overrides.put(dev.embedstream.embedder.OpenAiConfig.BASE_URL, simulator.baseUrl());
            overrides.put(dev.embedstream.embedder.OpenAiConfig.API_KEY, "sk-demo");
            System.out.println("  no API key: using the bundled OpenAI-compatible simulator at " + simulator.baseUrl()
                    + " (deterministic vectors, real rate limits; search results are not semantic)");
        }
        AppConfig config = AppConfig.from(new ConfigLookup(key -> overrides.containsKey(key) ? overrides.get(key) : env.raw(key)));
        try {
            return run(config);
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    private int run(AppConfig config) throws Exception {
        writeCorpus();
        System.out.printf("embedstream demo: %d documents → Kafka → %s → pgvector (collection '%s')%n", documents,
                config.embedder().provider().equals("local") ? "local model" : "OpenAI-compatible provider", collection);
        try (Pipeline pipeline = Pipeline.start(config, Pipeline.PROCESSING)) {
            System.out.printf("  Kafka %s, PostgreSQL %s, pgvector %s, model %s%n", pipeline.kafka().bootstrapServers(),
                    dev.embedstream.contracts.Texts.redactUrl(config.writer().jdbcUrl()), pipeline.store().pgvectorVersion(), pipeline.provider().model().key());
            pipeline.store().dropCollection(collection);
            ImportReport report = publish(pipeline);
            long embedded = awaitEmbedded(pipeline, report.published());
            printCoverage(embedded, report.published());
            SearchCommand.search(pipeline.store(), pipeline.providers(), collection, query, 5, 40, false, System.out);
            printPlanCheck(pipeline);
            return embedded == report.published() && report.rejected() == 0 ? 0 : 1;
        }
    }

    private void writeCorpus() throws IOException {
        Files.createDirectories(corpusFile.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(corpusFile, StandardCharsets.UTF_8)) {
            for (SampleCorpus.Entry e : SampleCorpus.generate(documents, 7L)) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("collection", collection);
                line.put("id", e.id());
                line.put("text", e.text());
                line.put("metadata", Map.of("title", e.title(), "category", e.category()));
                line.put("version", 1);
                w.write(Json.writeString(line));
                w.newLine();
            }
        }
    }

    private ImportReport publish(Pipeline pipeline) throws IOException {
        try (InputStream in = Files.newInputStream(corpusFile); DocumentPublisher publisher = new DocumentPublisher(pipeline.kafka())) {
            ImportReport report = new JsonlImporter(publisher).publish(in, collection, n -> { });
            System.out.printf("  published %d documents from %s (%d rejected)%n", report.published(), corpusFile,
                    report.rejected());
            report.errors().forEach(e -> System.out.println("    " + e));
            return report;
        }
    }

    private long awaitEmbedded(Pipeline pipeline, long published) throws InterruptedException {
        ProgressBar bar = ProgressBar.forConsole("  embedding");
        long done = 0;
        long lastChange = System.nanoTime();
        while (done < published) {
            pipeline.requireHealthy();
            Thread.sleep(250);
            long now = pipeline.store().countDocuments(collection);
            if (now != done) {
                lastChange = System.nanoTime();
                done = now;
            } else if (System.nanoTime() - lastChange > STALL_TIMEOUT.toNanos()) {
                bar.finish(done, published);
                System.out.printf("  no progress for %s; stopping%n", STALL_TIMEOUT);
                return done;
            }
            if (done < published) {
                bar.update(done, published);
            }
        }
        bar.finish(done, published);
        return done;
    }

    private void printCoverage(long embedded, long published) {
        double coverage = published == 0 ? 100.0 : 100.0 * embedded / published;
        System.out.printf("  coverage: %d of %d documents embedded (%.1f%%)%n", embedded, published, coverage);
    }

    private void printPlanCheck(Pipeline pipeline) {
        float[] q = pipeline.provider().embed(java.util.List.of(query)).get(0);
        String plan = pipeline.store().explainSearch(collection, q, 5);
        String indexLine = plan.lines().filter(l -> l.contains("Index Scan")).findFirst().orElse("(no index scan!)");
        System.out.println("  plan: " + indexLine.trim());
    }
}
