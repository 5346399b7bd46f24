package dev.embedstream.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiDurationsTest {

    @ParameterizedTest(name = "{0} ms -> {1}")
    @CsvSource({
            "0, 0s",
            "20, 20ms",
            "120, 120ms",
            "999, 999ms",
            "1000, 1s",
            "2500, 2.5s",
            "6120, 6.12s",
            "59999, 59.999s",
            "60000, 1m0s",
            "61250, 1m1.25s",
            "360000, 6m0s",
            "3600000, 1h0m0s",
            "3723004, 1h2m3.004s"})
    void shouldFormatDurationsLikeOpenAiHeaders(long millis, String expected) {
        assertThat(OpenAiDurations.format(Duration.ofMillis(millis).toNanos())).isEqualTo(expected);
    }

    @Test
    void shouldRoundPartialMillisecondsUpSoTheClientIsNeverEarly() {
        assertThat(OpenAiDurations.format(1)).isEqualTo("1ms");
        assertThat(OpenAiDurations.format(1_000_000_001L)).isEqualTo("1.001s");
        assertThat(OpenAiDurations.ceilMillis(19_000_001)).isEqualTo(20);
    }

    @Test
    void shouldRoundRetryAfterSecondsUp() {
        assertThat(OpenAiDurations.ceilSeconds(Duration.ofMillis(20).toNanos())).isEqualTo(1);
        assertThat(OpenAiDurations.ceilSeconds(Duration.ofSeconds(1).toNanos())).isEqualTo(1);
        assertThat(OpenAiDurations.ceilSeconds(Duration.ofMillis(1_001).toNanos())).isEqualTo(2);
        assertThat(OpenAiDurations.ceilSeconds(0)).isZero();
    }

    @Test
    void shouldWriteAllSixRateLimitHeadersFromASnapshot() {
        // Given
        RateSnapshot snapshot = new RateSnapshot(3_000, 2_999, Duration.ofMillis(20).toNanos(),
                1_000_000, 640_000, Duration.ofSeconds(21, 600_000_000).toNanos());

        // When / Then
        assertThat(snapshot.headers()).containsExactly(
                Map.entry("x-ratelimit-limit-requests", "3000"),
                Map.entry("x-ratelimit-limit-tokens", "1000000"),
                Map.entry("x-ratelimit-remaining-requests", "2999"),
                Map.entry("x-ratelimit-remaining-tokens", "640000"),
                Map.entry("x-ratelimit-reset-requests", "20ms"),
                Map.entry("x-ratelimit-reset-tokens", "21.6s"));
    }
}
