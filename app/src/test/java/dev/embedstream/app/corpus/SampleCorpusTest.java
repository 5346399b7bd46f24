package dev.embedstream.app.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.app.corpus.SampleCorpus.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleCorpusTest {

    private static final long SEED = 20240611L;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final Set<String> EXPECTED_CATEGORIES = Set.of(
            "recipes", "travel", "products", "release-notes", "how-to", "fitness",
            "finance", "gardening", "home-repair", "pet-care", "science");
    // Template glue words that say nothing about a document's subject.
    private static final Set<String> STOPWORDS = Set.of(
            "about", "after", "before", "from", "have", "into", "know", "that", "their", "them", "then", "this",
            "what", "when", "where", "which", "while", "with", "without", "your", "guide", "tips", "best", "ways",
            "should", "every", "simple", "plan", "help");

    @Test
    void shouldBeDeterministicForTheSameSeed() {
        // Given / When
        List<Entry> first = SampleCorpus.generate(500, SEED);
        List<Entry> second = SampleCorpus.generate(500, SEED);

        // Then
        assertThat(first).hasSize(500).isEqualTo(second);
    }

    @Test
    void shouldProduceDifferentDocumentsForDifferentSeeds() {
        // Given / When
        List<Entry> first = SampleCorpus.generate(100, SEED);
        List<Entry> second = SampleCorpus.generate(100, SEED + 1);

        // Then
        long sameBodies = countSameBodies(first, second);
        assertThat(sameBodies).isLessThan(5);
    }

    @Test
    void shouldNumberIdsSequentiallyWithSixDigitPadding() {
        // Given
        List<Entry> entries = SampleCorpus.generate(1_200, SEED);

        // When
        List<String> wrongIds = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String expected = String.format(Locale.ROOT, "doc-%06d", i + 1);
            if (!entries.get(i).id().equals(expected)) {
                wrongIds.add(entries.get(i).id() + " (expected " + expected + ")");
            }
        }

        // Then
        assertThat(entries.get(0).id()).isEqualTo("doc-000001");
        assertThat(entries.get(999).id()).isEqualTo("doc-001000");
        assertThat(wrongIds).isEmpty();
    }

    @Test
    void shouldStreamTheSameEntriesAsAPrefixOfALargerCorpus() {
        // Given
        List<Entry> larger = SampleCorpus.generate(300, SEED);

        // When
        List<Entry> streamed = SampleCorpus.stream(120, SEED).toList();
        List<Entry> generated = SampleCorpus.generate(120, SEED);

        // Then
        assertThat(streamed).isEqualTo(larger.subList(0, 120));
        assertThat(generated).isEqualTo(larger.subList(0, 120));
    }

    @Test
    void shouldGenerateLazilyWhenStreaming() {
        // Given / When: a huge count must not be materialised up front
        List<Entry> firstThree = SampleCorpus.stream(Integer.MAX_VALUE, SEED).limit(3).toList();

        // Then
        assertThat(firstThree).isEqualTo(SampleCorpus.generate(3, SEED));
    }

    @Test
    void shouldRejectNegativeCount() {
        // Given / When / Then
        assertThatThrownBy(() -> SampleCorpus.generate(-1, SEED)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCoverEveryCategoryWithinAThousandEntries() {
        // Given / When
        Set<String> categories = SampleCorpus.generate(1_000, SEED).stream()
                .map(Entry::category)
                .collect(Collectors.toSet());

        // Then
        assertThat(categories).containsExactlyInAnyOrderElementsOf(EXPECTED_CATEGORIES);
    }

    @Test
    void shouldKeepBodiesBetweenFortyAndOneHundredEightyWords() {
        // Given
        List<Entry> entries = SampleCorpus.generate(5_000, SEED);

        // When
        List<String> outOfBounds = entries.stream()
                .filter(entry -> words(entry.body()) < 40 || words(entry.body()) > 180)
                .map(entry -> entry.id() + ": " + words(entry.body()) + " words")
                .toList();

        // Then
        assertThat(outOfBounds).isEmpty();
    }

    @Test
    void shouldKeepTitlesBetweenThreeAndTwelveWords() {
        // Given
        List<Entry> entries = SampleCorpus.generate(5_000, SEED);

        // When
        List<String> outOfBounds = entries.stream()
                .filter(entry -> words(entry.title()) < 3 || words(entry.title()) > 12)
                .map(entry -> entry.id() + ": " + entry.title())
                .toList();

        // Then
        assertThat(outOfBounds).isEmpty();
    }

    @Test
    void shouldRarelyRepeatABodyInTwentyThousandEntries() {
        // Given
        List<Entry> entries = SampleCorpus.generate(20_000, SEED);

        // When
        long distinctBodies = entries.stream().map(Entry::body).distinct().count();

        // Then: at least 99% distinct
        assertThat(distinctBodies).isGreaterThanOrEqualTo(19_800L);
    }

    @Test
    void shouldMentionAKeyTitleTermInTheBody() {
        // Given
        List<Entry> entries = SampleCorpus.generate(5_000, SEED);

        // When
        List<String> unrelated = entries.stream()
                .filter(entry -> !sharesKeyTerm(entry.title(), entry.body()))
                .map(entry -> entry.id() + ": " + entry.title())
                .toList();

        // Then
        assertThat(unrelated).isEmpty();
    }

    @Test
    void shouldKeepSignatureTermsWithinTheirOwnCategory() {
        // Given: words a semantic search demo relies on to find the right kind of document
        List<Entry> entries = SampleCorpus.generate(5_000, SEED);

        // When
        Set<String> repotCategories = categoriesMentioning(entries, "repot");
        Set<String> retirementCategories = categoriesMentioning(entries, "retirement");

        // Then
        assertThat(repotCategories).containsOnly("gardening");
        assertThat(retirementCategories).containsOnly("finance");
    }

    @Test
    void shouldJoinTitleAndBodyForEmbedding() {
        // Given
        Entry entry = new Entry("doc-000001", "A title", "A body.", "recipes");

        // When
        String text = entry.text();

        // Then
        assertThat(text).isEqualTo("A title\n\nA body.");
    }

    private static long countSameBodies(List<Entry> first, List<Entry> second) {
        Set<String> bodies = first.stream().map(Entry::body).collect(Collectors.toSet());
        return second.stream().map(Entry::body).filter(bodies::contains).count();
    }

    private static Set<String> categoriesMentioning(List<Entry> entries, String term) {
        return entries.stream()
                .filter(entry -> terms(entry.text()).contains(term))
                .map(Entry::category)
                .collect(Collectors.toSet());
    }

    private static boolean sharesKeyTerm(String title, String body) {
        Set<String> bodyTerms = terms(body);
        return terms(title).stream()
                .filter(term -> term.length() >= 4 && !STOPWORDS.contains(term))
                .anyMatch(bodyTerms::contains);
    }

    private static Set<String> terms(String text) {
        return new HashSet<>(Arrays.asList(NON_ALPHANUMERIC.split(text.toLowerCase(Locale.ROOT))));
    }

    private static int words(String text) {
        return WHITESPACE.split(text.trim()).length;
    }
}
