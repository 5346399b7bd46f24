package dev.embedstream.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are cl100k_base counts, as jtokkit reports them. */
class TokenEstimatorTest {

    @ParameterizedTest(name = "{1} tokens: {0}")
    @CsvSource(delimiter = '|', value = {
            "hello|1",
            "Hello, world!|4",
            "The quick brown fox jumps over the lazy dog.|10",
            "It's a well-known fact that you'll need 3 cups (about 720 ml) of flour.|22",
            "1234567|3"})
    void shouldCountShortEnglishExactlyLikeCl100k(String text, int cl100k) {
        assertThat(TokenEstimator.count(text)).isEqualTo(cl100k);
    }

    @Test
    void shouldStayWithinAFewPercentOfCl100kOnEnglishProse() {
        // Given a paragraph that cl100k_base counts as 63 tokens
        String paragraph = "Embeddings turn text into vectors of numbers so that texts with similar meaning end up "
                + "close together. A pipeline that backfills millions of documents has to respect the provider's "
                + "rate limits: requests per minute and tokens per minute are both enforced, and a client that "
                + "ignores the retry-after header will be throttled for longer.";

        // When / Then
        assertThat((double) TokenEstimator.count(paragraph)).isCloseTo(63, within(63 * 0.05));
    }

    @Test
    void shouldChargeAtLeastOneTokenForAnyNonEmptyText() {
        assertThat(TokenEstimator.count(" ")).isEqualTo(1);
        assertThat(TokenEstimator.count("\n\n\n")).isEqualTo(1);
        assertThat(TokenEstimator.count("")).isZero();
    }

    @Test
    void shouldCountLongerAndRarerWordsAsMoreTokens() {
        assertThat(TokenEstimator.count("antidisestablishmentarianism"))
                .isGreaterThan(TokenEstimator.count("establishment"));
        assertThat(TokenEstimator.count("DEADBEEFCAFEBABE")).isGreaterThan(2);
    }

    @Test
    void shouldCountNonLatinScriptsRoughlyPerCharacter() {
        // cl100k_base: 11 tokens
        assertThat(TokenEstimator.count("東京は日本の首都です。")).isBetween(9, 13);
    }

    @Test
    void shouldBeDeterministic() {
        String text = "Same text, same count — every time.";
        assertThat(TokenEstimator.count(text)).isEqualTo(TokenEstimator.count(new String(text)));
    }
}
