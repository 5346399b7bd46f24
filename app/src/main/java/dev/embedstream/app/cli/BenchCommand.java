package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.bench.BenchReport;
import dev.embedstream.app.bench.PipelineBench;
import dev.embedstream.app.bench.WriterBench;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.devservices.LocalKafka;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code embedstream bench}: performance figures as ratios measured side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the benchmarks and print each figure as a ratio against its ceiling measured in the same "
                + "run, with its goal and PASS/BELOW; also writes target/bench/results.json.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--writer-rows", defaultValue = "5000", description = "rows for the writer scenario (default ${DEFAULT-VALUE})")
    int writerRows;

    @Option(names = "--bulk-rows", defaultValue = "10000", description = "rows of the bulk-backfill scenario's new table (default ${DEFAULT-VALUE})")
    int bulkRows;

    @Option(names = "--provider-window", defaultValue = "15", description = "seconds of steady state measured per provider case (default ${DEFAULT-VALUE})")
    int providerWindowSeconds;

    @Option(names = "--provider-cases", split = ",", defaultValue = "naive,one,two",
            description = "provider cases: naive, one, two (default ${DEFAULT-VALUE})")
    java.util.Set<String> providerCases;

    @Option(names = "--status-rows", defaultValue = "100000", description = "rows for the status scenario (default ${DEFAULT-VALUE})")
    int statusRows;

    @Option(names = "--maintenance-rows", defaultValue = "50000",
            description = "vectors for the maintenance scenario: writes during a reindex, and the tune table (default ${DEFAULT-VALUE})")
    int maintenanceRows;

    @Option(names = "--pipeline-docs", defaultValue = "10000",
            description = "documents for the pipeline-overhead scenario, also the base of the scaling one (default ${DEFAULT-VALUE})")
    int pipelineDocs;

    @Option(names = "--scaling-sizes", split = ",", defaultValue = "100000",
            description = "larger runs of the pipeline scenario, compared per document with --pipeline-docs; add 1000000 for the 1M point (default ${DEFAULT-VALUE})")
    java.util.List<Integer> scalingSizes;

    @Option(names = "--search-docs", defaultValue = "10000",
            description = "real texts (Debian package summaries and descriptions, each distinct text once: up to 120,793) embedded with the local model for the search scenario, kept between runs; 100000 for the seeds' size (default ${DEFAULT-VALUE})")
    int searchDocs;

    @Option(names = "--local-docs", defaultValue = "2000",
            description = "real texts (Debian package descriptions) for the local-model scenario (default ${DEFAULT-VALUE})")
    int localDocs;

    @Option(names = "--corpus", defaultValue = ".local/corpus/debian-bookworm-descriptions-en.txt",
            description = "the real-text corpus scripts/fetch-corpus.sh downloads (default ${DEFAULT-VALUE})")
    Path corpus;

    @Option(names = "--publish-docs", defaultValue = "500000",
            description = "documents for the publish scenario: Java client and HTTP API vs a bare producer (default ${DEFAULT-VALUE})")
    int publishDocs;

    @Option(names = "--only", split = ",",
            description = "run only these scenarios: writer, bulk, pipeline, scaling, local, search, provider, status, maintenance, publish")
    java.util.Set<String> only;

    @Option(names = "--out", defaultValue = "target/bench/results.json",
            description = "the machine-readable results (default ${DEFAULT-VALUE})")
    Path out;

    private boolean wanted(String scenario) {
        return only == null || only.isEmpty() || only.contains(scenario);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final java.util.Set<String> SCENARIOS = java.util.Set.of("writer", "bulk", "pipeline", "scaling", "local",
            "search", "provider", "status", "maintenance", "publish");

    /** A misspelt name would otherwise run nothing and overwrite the last results with an empty table. */
    private void requireKnown(String flag, java.util.Collection<String> given, java.util.Set<String> known) {
        if (given == null) {
            return;
        }
        for (String name : given) {
            if (!known.contains(name)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), flag + ": unknown name '" + name
                        + "'; expected one of " + new java.util.TreeSet<>(known));
            }
        }
    }

    /** Unknown names and sizes below one (which would divide by zero or time nothing) are said up front, naming the flag. */
    private void validateOptions() {
        requireKnown("--only", only, SCENARIOS);
        requireKnown("--provider-cases", providerCases, java.util.Set.of("naive", "one", "two"));
        java.util.Map<String, Integer> sizes = new java.util.LinkedHashMap<>();
        sizes.put("--writer-rows", writerRows);
        sizes.put("--bulk-rows", bulkRows);
        sizes.put("--provider-window", providerWindowSeconds);
        sizes.put("--status-rows", statusRows);
        sizes.put("--maintenance-rows", maintenanceRows);
        sizes.put("--pipeline-docs", pipelineDocs);
        sizes.put("--search-docs", searchDocs);
        sizes.put("--local-docs", localDocs);
        sizes.put("--publish-docs", publishDocs);
        for (int i = 0; i < scalingSizes.size(); i++) {
            sizes.put("--scaling-sizes (value " + (i + 1) + ")", scalingSizes.get(i));
        }
        sizes.forEach((flag, value) -> {
            if (value < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        flag + " must be at least 1, was " + value);
            }
        });
    }

    @Override
    public Integer call() throws Exception {
        validateOptions();
        AppConfig config = AppConfig.from(ConfigLookup.env());
        BenchReport report = new BenchReport();
        report.context("cores", Runtime.getRuntime().availableProcessors());
        report.context("java", System.getProperty("java.version"));
        report.context("writerRows", writerRows);
        report.context("bulkRows", bulkRows);
        LocalKafka local = config.kafka().isPresent() ? null : LocalKafka.start();
        try {
            KafkaSettings kafka = config.kafka().orElseGet(() -> KafkaSettings.of(local.bootstrapServers()));
            System.out.println("embedstream bench");
            PipelineBench pipeline = new PipelineBench(kafka, config.writer(), config.embedder(), System.out);
            scenario(report, "writer", () -> new WriterBench(kafka, config.writer(), writerRows, System.out).run(report));
            scenario(report, "bulk", () -> pipeline.bulkBackfill(report, bulkRows));
            if (wanted("pipeline") || wanted("scaling")) {
                java.util.List<Integer> sizes = new java.util.ArrayList<>(java.util.List.of(pipelineDocs));
                if (wanted("scaling")) {
                    scalingSizes.stream().filter(n -> n > pipelineDocs).forEach(sizes::add);
                }
                scenario(report, "pipeline/scaling", () -> pipeline.overheadAndScaling(report, sizes));
            }
            if (wanted("local") || wanted("search")) {
                try (var providers = new dev.embedstream.app.internal.Providers(config)) {
                    scenario(report, "local", () -> new dev.embedstream.app.bench.LocalModelBench(pipeline, config.embedder(),
                            corpus, System.out).run(report, providers.defaultProvider(), localDocs));
                    scenario(report, "search", () -> new dev.embedstream.app.bench.SearchBench(config.writer(), corpus, System.out)
                            .run(report, providers.defaultProvider(), searchDocs));
                }
            }
            scenario(report, "publish", () -> new dev.embedstream.app.bench.IngestBench(kafka, System.out)
                    .run(report, publishDocs));
            scenario(report, "status", () -> new dev.embedstream.app.bench.StatusBench(config.writer(), statusRows,
                    System.out).run(report));
            scenario(report, "maintenance", () -> new dev.embedstream.app.bench.MaintenanceBench(config.writer(),
                    maintenanceRows, System.out).run(report));
            scenario(report, "provider", () -> new dev.embedstream.app.bench.ProviderBench(3_000, 1_000_000,
                    java.time.Duration.ofSeconds(providerWindowSeconds), System.out).cases(providerCases).run(report));
        } finally {
            if (local != null) {
                local.close();
            } else {
                cleanUp(config.requireKafka());
            }
        }
        System.out.println();
        report.print(System.out);
        System.out.println("results: " + report.writeJson(out));
        return failed.isEmpty() ? 0 : 1;
    }

    /** On a cluster of the user's, the runs' topics and groups go; failing to is said, not fatal. */
    private static void cleanUp(KafkaSettings cluster) {
        try {
            int topics = dev.embedstream.app.bench.BenchTopics.deleteCreated(cluster);
            if (topics > 0) {
                System.out.printf("  deleted the bench's %d topics and their consumer groups from %s%n", topics,
                        cluster.bootstrapServers());
            }
        } catch (RuntimeException e) {
            System.out.println("  " + e.getMessage());
        }
    }

    /** A step of the bench that may throw. */
    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private final java.util.List<String> failed = new java.util.ArrayList<>();

    private static String elapsed(long startNanos) {
        long s = Math.round((System.nanoTime() - startNanos) / 1e9);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }

    /** Runs a wanted scenario; one that fails is reported as failed and the others still run. */
    private void scenario(BenchReport report, String name, Step step) {
        boolean wantedNow = java.util.Arrays.stream(name.split("/")).anyMatch(this::wanted);
        if (!wantedNow) {
            return;
        }
        long start = System.nanoTime();
        try {
            step.run();
            System.out.printf("  [%s done in %s]%n", name, elapsed(start));
        } catch (Exception e) {
            failed.add(name);
            System.out.println("  " + name + " FAILED: " + e.getMessage());
            report.failed(name, String.valueOf(e.getMessage()));
        }
    }
}
