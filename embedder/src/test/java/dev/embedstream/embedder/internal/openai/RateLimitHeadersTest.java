package dev.embedstream.embedder.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    @Test
    void shouldReadOpenAisHeaders() {
        Map<String, List<String>> h = Map.of(
                "x-ratelimit-limit-requests", List.of("3000"), "x-ratelimit-remaining-requests", List.of("2999"),
                "x-ratelimit-limit-tokens", List.of("1000000"), "x-ratelimit-remaining-tokens", List.of("999"),
                "retry-after", List.of("2"));
        RateLimitHeaders parsed = RateLimitHeaders.from(h::get);
        assertThat(parsed).isEqualTo(new RateLimitHeaders(3000L, 2999L, 1000000L, 999L, Duration.ofSeconds(2)));
    }

    @Test
    void shouldPreferRetryAfterMsAndTolerateGarbage() {
        Map<String, List<String>> h = Map.of("retry-after-ms", List.of("250"), "retry-after", List.of("9"),
                "x-ratelimit-remaining-tokens", List.of("lots"));
        RateLimitHeaders parsed = RateLimitHeaders.from(h::get);
        assertThat(parsed.retryAfter()).isEqualTo(Duration.ofMillis(250));
        assertThat(parsed.remainingTokens()).isNull();
    }

    @Test
    void shouldParseResetDurations() {
        assertThat(RateLimitHeaders.parseReset("6m0s")).isEqualTo(Duration.ofMinutes(6));
        assertThat(RateLimitHeaders.parseReset("120ms")).isEqualTo(Duration.ofMillis(120));
        assertThat(RateLimitHeaders.parseReset("2.5s")).isEqualTo(Duration.ofMillis(2500));
        assertThat(RateLimitHeaders.parseReset("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
        assertThat(RateLimitHeaders.parseReset("soon")).isNull();
    }
}
