package dev.embedstream.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.embedstream.contracts.ModelId;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the real all-MiniLM-L6-v2 model; LangChain4j's in-process model serves as the reference. */
class LocalModelsTest {

    private static final double SAME_VECTOR = 0.9999;

    private static final List<String> SHORT_TEXTS = List.of(
            "hello world",
            "The quick brown fox jumps over the lazy dog.",
            "How do I reset my password if I no longer have access to my email?",
            "PostgreSQL 16 added support for parallel full outer joins.",
            "Invoice #4521 is overdue by 37 days; please remit $1,250.00 to the account on file.",
            "Der Zug nach München fährt um 14:35 von Gleis 7 ab.",
            "naïve café résumé façade coöperate",
            "東京は日本の首都です。",
            "Great product!!! 😀👍 would buy again",
            "SELECT id, title FROM documents WHERE updated_at > now() - interval '1 day';",
            "def embed(texts): return [model(t) for t in texts]",
            "Please find attached the minutes of yesterday's board meeting.",
            "Error: connection refused (ECONNREFUSED) at 10.0.0.12:5432",
            "The mitochondria is the powerhouse of the cell.",
            "Kafka guarantees ordering only within a partition, not across a topic.",
            "I can't believe it's not butter.",
            "A",
            "   leading and trailing whitespace   ",
            "https://example.com/docs/getting-started?utm_source=newsletter#install",
            "Vector search engines approximate nearest neighbours with graph-based indexes such as HNSW,"
                    + " trading a small loss in recall for query latencies that stay low even when the collection"
                    + " grows to hundreds of millions of embeddings, which is why most production systems tune"
                    + " ef_search per workload.");

    // The fp32 variant is the model's canonical behaviour, so the reference checks run on it.
    private static EmbeddingProvider provider;
    private static EmbeddingProvider int8;

    @BeforeAll
    static void loadModel() {
        provider = LocalModels.open(LocalModels.ALL_MINILM_L6_V2, LocalModelOptions.defaults());
        int8 = LocalModels.allMiniLmL6V2();
    }

    @AfterAll
    static void closeModel() {
        provider.close();
        int8.close();
    }

    @Test
    void shouldKeepTheInt8VariantCloseToFp32AndItsNeighboursTheSame() {
        // Given sentences of several topics and lengths
        List<String> texts = new ArrayList<>(SHORT_TEXTS);
        texts.addAll(realisticSentences(new Random(5), 20));

        // When
        List<float[]> reference = provider.embed(texts);
        List<float[]> quantized = int8.embed(texts);

        // Then each int8 vector is near its fp32 twin, and nearer to it than to any other text's
        for (int i = 0; i < texts.size(); i++) {
            assertThat(norm(quantized.get(i))).as(texts.get(i)).isCloseTo(1.0, within(1e-4));
            assertThat(cosine(quantized.get(i), reference.get(i))).as(texts.get(i)).isGreaterThan(0.95);
            assertThat(closestIndex(quantized.get(i), reference)).as(texts.get(i)).isEqualTo(i);
        }
    }

    @Test
    void shouldGiveTheInt8VariantTheSameVectorForATextAloneAndWithinABatch() {
        // Given texts of mixed lengths (int8 activations are quantized with a scale per call)
        List<String> texts = new ArrayList<>(SHORT_TEXTS.subList(0, 6));
        texts.addAll(realisticSentences(new Random(13), 10));
        Collections.shuffle(texts, new Random(17));

        // When each is embedded alone and all of them together
        List<float[]> batched = int8.embed(texts);

        // Then a text's vector does not depend on the other texts of its call
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = int8.embed(List.of(texts.get(i))).get(0);
            assertThat(cosine(batched.get(i), alone)).as(texts.get(i)).isGreaterThanOrEqualTo(SAME_VECTOR);
        }
    }

    @Test
    void shouldDefaultToTheInt8VariantAsADifferentModelIdentity() {
        // Given / When
        ModelId model = int8.model();

        // Then fp32 and int8 vectors can never share an index
        assertThat(model).isEqualTo(new ModelId("all-minilm-l6-v2", "int8", 384, 256));
        assertThat(model.key()).isNotEqualTo(LocalModels.ALL_MINILM_L6_V2.key());
        assertThat(LocalModels.model("all-minilm-l6-v2", "fp32")).isEqualTo(LocalModels.ALL_MINILM_L6_V2);
        assertThatThrownBy(() -> LocalModels.model("all-minilm-l6-v2", "int4"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int8");
    }

    @Test
    void shouldMatchTheReferenceModelForShortTexts() {
        // Given texts well under the reference's silent 128-token truncation
        AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
        SHORT_TEXTS.forEach(text -> assertThat(provider.countTokens(text)).as(text).isLessThan(100));

        // When
        List<float[]> vectors = provider.embed(SHORT_TEXTS);

        // Then
        assertThat(vectors).hasSize(SHORT_TEXTS.size());
        for (int i = 0; i < SHORT_TEXTS.size(); i++) {
            String text = SHORT_TEXTS.get(i);
            float[] expected = reference.embed(text).content().vector();
            assertThat(vectors.get(i)).as(text).hasSize(384);
            assertThat(norm(vectors.get(i))).as(text).isCloseTo(1.0, within(1e-4));
            assertThat(cosine(vectors.get(i), expected)).as(text).isGreaterThanOrEqualTo(SAME_VECTOR);
        }
    }

    @Test
    void shouldEmbedATextAloneAndWithinAMixedLengthBatchAlike() {
        // Given texts from 2 to ~100 tokens, shuffled, more than one batch's worth
        List<String> texts = new ArrayList<>(SHORT_TEXTS.subList(0, 6));
        texts.addAll(realisticSentences(new Random(7), 8));
        Collections.shuffle(texts, new Random(11));
        List<float[]> alone = new ArrayList<>();
        texts.forEach(text -> alone.add(provider.embed(List.of(text)).get(0)));

        // When
        List<float[]> batched = provider.embed(texts);

        // Then every vector sits at its text's index and equals the text's solo vector
        assertThat(batched).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(cosine(batched.get(i), alone.get(i))).as(texts.get(i)).isGreaterThanOrEqualTo(SAME_VECTOR);
            assertThat(closestIndex(batched.get(i), alone)).as(texts.get(i)).isEqualTo(i);
        }
    }

    @Test
    void shouldSeeTheWholeWindowNotJustTheFirst128Tokens() {
        // Given two texts that differ only after their first 140 tokens
        String shared = realisticText(new Random(9), 110);
        String meeting = shared + " The meeting about quarterly revenue moved to Thursday afternoon.";
        String cooking = shared + " Fresh basil, garlic and ripe tomatoes make the simplest pasta sauce.";
        assertThat(provider.countTokens(shared)).isGreaterThan(140);
        assertThat(provider.countTokens(cooking)).isLessThanOrEqualTo(256);

        // When
        List<float[]> vectors = provider.embed(List.of(meeting, cooking));

        // Then a model truncating at 128 tokens would return the same vector twice
        assertThat(cosine(vectors.get(0), vectors.get(1))).isLessThan(0.999);
    }

    @Test
    void shouldReturnNoVectorsForNoTexts() {
        // Given no texts
        List<String> none = List.of();

        // When
        List<float[]> vectors = provider.embed(none);

        // Then
        assertThat(vectors).isEmpty();
    }

    @Test
    void shouldChunkALongTextIntoOverlappingPiecesThatFitTheWindow() {
        // Given about 1,000 words
        String text = realisticText(new Random(42), 1_000);

        // When
        List<String> pieces = provider.chunk(text, 32);

        // Then the pieces fit, cover the text from start to end, in order, each overlapping the last
        assertThat(pieces).hasSizeGreaterThanOrEqualTo(4);
        pieces.forEach(piece -> assertThat(provider.countTokens(piece)).isLessThanOrEqualTo(256));
        int previousStart = -1;
        int previousEnd = 0;
        for (String piece : pieces) {
            int start = text.indexOf(piece, previousStart + 1);
            assertThat(start).as("piece found after the previous one").isGreaterThan(previousStart);
            assertThat(start).as("no gap before the piece").isLessThan(previousEnd == 0 ? 1 : previousEnd);
            previousStart = start;
            previousEnd = start + piece.length();
        }
        assertThat(text.indexOf(pieces.get(0))).isZero();
        assertThat(previousEnd).isEqualTo(text.length());
        assertThat(provider.embed(pieces)).hasSize(pieces.size());
    }

    @Test
    void shouldCutAtTokenBoundariesOfTheOriginalTextIncludingSupplementaryCharacters() {
        // Given a long text with emoji (two UTF-16 units each) and accents, cut without overlap
        String text = realisticText(new Random(5), 900).replace(" the ", " the 😀 ").replace("data", "dätä 𝔡𝔞𝔱𝔞");

        // When
        List<String> pieces = provider.chunk(text, 0);

        // Then the pieces are exactly the text, minus the whitespace at the cuts
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(withoutWhitespace(String.join("", pieces))).isEqualTo(withoutWhitespace(text));
        pieces.forEach(piece -> assertThat(provider.countTokens(piece)).isLessThanOrEqualTo(256));
    }

    @Test
    void shouldRejectAnUnchunkedLongTextNamingItsIndexAndTheWindow() {
        // Given a text far over the window behind a short one
        List<String> texts = List.of("short", realisticText(new Random(42), 1_000));

        // When / Then
        assertThatThrownBy(() -> provider.embed(texts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1")
                .hasMessageContaining("256-token window");
    }

    @Test
    void shouldReturnATextThatFitsWhole() {
        // Given
        String text = "  A short note, with its surrounding whitespace.  ";

        // When
        List<String> pieces = provider.chunk(text, 16);

        // Then
        assertThat(pieces).containsExactly(text);
    }

    @Test
    void shouldRejectAnOverlapOfHalfTheWindowOrMore() {
        // Given a window of 256 tokens

        // When / Then
        assertThatThrownBy(() -> provider.chunk("text", 128))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapTokens");
        assertThatThrownBy(() -> provider.chunk("text", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlapTokens");
        assertThat(provider.chunk("text", 127)).containsExactly("text");
    }

    @Test
    void shouldCountSpecialTokens() {
        // Given [CLS] hello world [SEP]
        String text = "hello world";

        // When
        int tokens = provider.countTokens(text);

        // Then
        assertThat(tokens).isEqualTo(4);
    }

    @Test
    void shouldIdentifyTheModel() {
        // Given the fp32 variant

        // When
        ModelId model = provider.model();

        // Then
        assertThat(model).isEqualTo(new ModelId("all-minilm-l6-v2", "fp32", 384, 256));
        assertThat(model.key()).isEqualTo("all-minilm-l6-v2@fp32/384");
    }

    @Test
    void shouldGiveConcurrentCallersTheSameVectorsAsASingleCaller() throws Exception {
        // Given
        List<String> texts = realisticSentences(new Random(3), 12);
        List<float[]> expected = provider.embed(texts);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // When
            List<Callable<List<float[]>>> calls = Collections.nCopies(8, () -> provider.embed(texts));
            List<Future<List<float[]>>> results = pool.invokeAll(calls);

            // Then
            for (Future<List<float[]>> result : results) {
                List<float[]> vectors = result.get();
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(cosine(vectors.get(i), expected.get(i))).isGreaterThanOrEqualTo(SAME_VECTOR);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRefuseCallsAfterCloseAndCloseTwiceQuietly() {
        // Given a second, small instance
        EmbeddingProvider local = LocalModels.allMiniLmL6V2(new LocalModelOptions(1, 1, 2));
        assertThat(local.embed(List.of("before close"))).hasSize(1);

        // When
        local.close();
        local.close();

        // Then
        assertThatThrownBy(() -> local.embed(List.of("after close")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> local.countTokens("after close")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldValidateOptionsNamingTheOffendingField() {
        // Given / When / Then
        assertThatThrownBy(() -> new LocalModelOptions(0, 1, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessions");
        assertThatThrownBy(() -> new LocalModelOptions(1, 0, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intraOpThreads");
        assertThatThrownBy(() -> new LocalModelOptions(2, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBatchSize");
        assertThat(LocalModelOptions.defaults().maxBatchSize()).isEqualTo(LocalModelOptions.DEFAULT_MAX_BATCH_SIZE);
        int expected = Math.min(Runtime.getRuntime().availableProcessors(), LocalModelOptions.MAX_DEFAULT_SESSIONS);
        assertThat(LocalModelOptions.defaults().sessions()).isEqualTo(expected);
        assertThat(LocalModelOptions.defaults().threads()).isEqualTo(expected);
    }

    // ---- realistic text, deterministic per seed -------------------------------------------------

    private static final String[] SUBJECTS = {
        "The ingestion service", "Our on-call engineer", "A nightly backfill job", "The PostgreSQL replica",
        "Each Kafka consumer", "The embedding worker", "The support team", "The quarterly report",
        "A new customer in Lisbon", "The search relevance group", "Our largest tenant", "The billing pipeline"};
    private static final String[] VERBS = {
        "rebuilt", "retried", "indexed", "summarised", "flagged", "throttled", "compared", "migrated",
        "archived", "re-embedded", "audited", "deduplicated"};
    private static final String[] OBJECTS = {
        "the vector index after the schema migration", "twelve thousand product descriptions",
        "every document updated since Tuesday", "the stale embeddings of archived tickets",
        "a backlog of customer emails about late deliveries", "the data of the old recommendation model",
        "all contracts that mention liability caps", "the onboarding guides for the mobile app",
        "search logs from the holiday sale", "the release notes of version 4.2"};
    private static final String[] CONNECTORS = {
        ", because", ", although", " and then", "; meanwhile,", ", which means", " before", " while",
        " so that"};
    private static final String[] TAILS = {
        "latency stayed under forty milliseconds", "nobody had to page the database administrator",
        "the dashboards showed a brief spike in errors", "the rate limiter kept the provider happy",
        "recall on the evaluation set improved by three points", "the team could finally delete the cron job"};

    /** Sentences of 20 to 80 words, like support tickets, docs and reports in a real corpus. */
    static List<String> realisticSentences(Random random, int count) {
        List<String> sentences = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sentences.add(realisticSentence(random, 20 + random.nextInt(61)));
        }
        return sentences;
    }

    /** Paragraphs of realistic sentences adding up to at least {@code words} words. */
    static String realisticText(Random random, int words) {
        StringBuilder text = new StringBuilder();
        int written = 0;
        while (written < words) {
            String sentence = realisticSentence(random, 20 + random.nextInt(61));
            text.append(written == 0 ? "" : random.nextInt(4) == 0 ? "\n\n" : " ").append(sentence);
            written += sentence.split("\\s+").length;
        }
        return text.toString();
    }

    private static String realisticSentence(Random random, int targetWords) {
        StringBuilder sentence = new StringBuilder(pick(random, SUBJECTS)).append(' ')
                .append(pick(random, VERBS)).append(' ').append(pick(random, OBJECTS));
        while (sentence.toString().split("\\s+").length < targetWords) {
            sentence.append(pick(random, CONNECTORS)).append(' ').append(random.nextBoolean()
                    ? pick(random, TAILS)
                    : pick(random, SUBJECTS).toLowerCase() + ' ' + pick(random, VERBS) + ' ' + pick(random, OBJECTS));
        }
        return sentence.append('.').toString();
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    // ---- vector helpers ----------------------------------------------------------------------------

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    private static double norm(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += (double) x * x;
        }
        return Math.sqrt(squares);
    }

    private static int closestIndex(float[] vector, List<float[]> candidates) {
        int best = -1;
        double bestCosine = -2;
        for (int i = 0; i < candidates.size(); i++) {
            double c = cosine(vector, candidates.get(i));
            if (c > bestCosine) {
                bestCosine = c;
                best = i;
            }
        }
        return best;
    }

    private static String withoutWhitespace(String text) {
        return text.replaceAll("\\s+", "");
    }
}
