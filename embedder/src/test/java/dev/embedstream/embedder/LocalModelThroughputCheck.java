package dev.embedstream.embedder;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Manual throughput measurement, deliberately not a test (timings on shared machines are noise): our
 * engine against LangChain4j's per-text {@code embed}, on the same realistic sentences in one JVM.
 * Rounds alternate between the two so that background load hits both alike; medians are reported.
 *
 * <p>Run after {@code mvn -o -pl embedder -am test-compile} with the test classpath:
 * {@code java -cp <test classpath> dev.embedstream.embedder.LocalModelThroughputCheck [batchSizes...]}.
 * Arguments are optional batch sizes to sweep, e.g. {@code 1 4 8 16 32}.
 */
public final class LocalModelThroughputCheck {

    private static final int TEXTS = 500;
    private static final int WARM_UP_TEXTS = 40;
    private static final int ROUNDS = 3;

    private LocalModelThroughputCheck() {}

    public static void main(String[] args) {
        List<String> texts = LocalModelsTest.realisticSentences(new Random(2024), TEXTS);
        List<String> warmUp = LocalModelsTest.realisticSentences(new Random(1), WARM_UP_TEXTS);
        System.out.printf(Locale.ROOT, "%d sentences, %.1f words each on average; %d cores%n",
                texts.size(), averageWords(texts), Runtime.getRuntime().availableProcessors());

        compareWithReference(texts, warmUp);
        for (String batchSize : args) {
            sweep(Integer.parseInt(batchSize), texts, warmUp);
        }
    }

    private static void compareWithReference(List<String> texts, List<String> warmUp) {
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        try (EmbeddingProvider ours = LocalModels.allMiniLmL6V2()) {
            System.out.printf(Locale.ROOT, "%.1f tokens per text on average%n", meanTokens(ours, texts));
            ours.embed(warmUp);
            warmUp.forEach(reference::embed);
            double[] oursRates = new double[ROUNDS];
            double[] referenceRates = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                oursRates[round] = textsPerSecond(texts.size(), () -> ours.embed(texts));
                referenceRates[round] = textsPerSecond(texts.size(), () -> texts.forEach(reference::embed));
            }
            report("ours (default options)", oursRates);
            report("langchain4j per-text embed", referenceRates);
        }
    }

    private static void sweep(int batchSize, List<String> texts, List<String> warmUp) {
        LocalModelOptions options = LocalModelOptions.defaults().withMaxBatchSize(batchSize);
        try (EmbeddingProvider ours = LocalModels.allMiniLmL6V2(options)) {
            ours.embed(warmUp);
            double[] rates = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                rates[round] = textsPerSecond(texts.size(), () -> ours.embed(texts));
            }
            report("ours, batch " + batchSize, rates);
        }
    }

    private static double textsPerSecond(int texts, Runnable run) {
        long start = System.nanoTime();
        run.run();
        return texts / ((System.nanoTime() - start) / 1e9);
    }

    private static void report(String label, double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-28s median %6.1f texts/s (rounds: %s)%n",
                label, sorted[sorted.length / 2], Arrays.toString(roundToTenths(rates)));
    }

    private static double[] roundToTenths(double[] rates) {
        return Arrays.stream(rates).map(r -> Math.round(r * 10) / 10.0).toArray();
    }

    private static double averageWords(List<String> texts) {
        return texts.stream().mapToInt(t -> t.split("\\s+").length).average().orElse(0);
    }

    private static double meanTokens(EmbeddingProvider provider, List<String> texts) {
        return texts.stream().mapToInt(provider::countTokens).average().orElse(0);
    }
}
