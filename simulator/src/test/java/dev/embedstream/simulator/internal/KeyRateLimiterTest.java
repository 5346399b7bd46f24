package dev.embedstream.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.simulator.internal.RateDecision.LimitKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeyRateLimiterTest {

    private static final long T0 = 5_000_000_000L;

    @Test
    void shouldReturn429WithRetryAfterWhenTheTokenBudgetIsSpent() {
        // Given 6,000 tokens per minute (100 per second), 5,000 already spent
        KeyRateLimiter limiter = new KeyRateLimiter(1_000, 6_000, T0);
        assertThat(limiter.tryAcquire(5_000, T0).isAdmitted()).isTrue();

        // When a request for 1,500 tokens arrives
        RateDecision decision = limiter.tryAcquire(1_500, T0);

        // Then it is refused on tokens, and told to wait for the 500 missing tokens: 5 s
        assertThat(decision.isAdmitted()).isFalse();
        assertThat(decision.exceeded()).isEqualTo(LimitKind.TOKENS);
        assertThat(decision.requested()).isEqualTo(1_500);
        assertThat(decision.retryAfterNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(decision.used()).isEqualTo(5_000);
        assertThat(decision.neverFits()).isFalse();
    }

    @Test
    void shouldReportRequestsFirstWhenBothBudgetsAreSpent() {
        // Given one request per minute, already used, and a token budget that is also spent
        KeyRateLimiter limiter = new KeyRateLimiter(1, 100, T0);
        limiter.tryAcquire(100, T0);

        // When
        RateDecision decision = limiter.tryAcquire(10, T0);

        // Then
        assertThat(decision.exceeded()).isEqualTo(LimitKind.REQUESTS);
        assertThat(decision.retryAfterNanos()).isEqualTo(Duration.ofMinutes(1).toNanos());
    }

    @Test
    void shouldConsumeNothingWhenItRefuses() {
        // Given
        KeyRateLimiter limiter = new KeyRateLimiter(10, 100, T0);
        limiter.tryAcquire(90, T0);

        // When a too-big request is refused
        RateDecision refused = limiter.tryAcquire(20, T0);

        // Then both budgets are as they were, and a request that fits still passes
        assertThat(refused.snapshot().remainingRequests()).isEqualTo(9);
        assertThat(refused.snapshot().remainingTokens()).isEqualTo(10);
        assertThat(limiter.tryAcquire(10, T0).isAdmitted()).isTrue();
    }

    @Test
    void shouldReportTheStateAfterConsumptionWhenItAdmits() {
        // Given
        KeyRateLimiter limiter = new KeyRateLimiter(3_000, 1_000_000, T0);

        // When
        RateDecision decision = limiter.tryAcquire(100_000, T0);

        // Then
        RateSnapshot snapshot = decision.snapshot();
        assertThat(snapshot.remainingRequests()).isEqualTo(2_999);
        assertThat(snapshot.remainingTokens()).isEqualTo(900_000);
        assertThat(snapshot.resetRequestsNanos()).isEqualTo(Duration.ofMillis(20).toNanos());
        assertThat(snapshot.resetTokensNanos()).isEqualTo(Duration.ofSeconds(6).toNanos());
    }

    @Test
    void shouldAdmitAgainOnceTheBudgetHasRefilled() {
        // Given
        KeyRateLimiter limiter = new KeyRateLimiter(60, 60, T0);
        limiter.tryAcquire(60, T0);
        RateDecision refused = limiter.tryAcquire(30, T0);

        // When exactly the announced wait has passed
        RateDecision retried = limiter.tryAcquire(30, T0 + refused.retryAfterNanos());

        // Then
        assertThat(retried.isAdmitted()).isTrue();
    }

    @Test
    void shouldSayARequestBiggerThanTheWholeBudgetCanNeverFit() {
        // Given / When
        RateDecision decision = new KeyRateLimiter(60, 1_000, T0).tryAcquire(1_001, T0);

        // Then
        assertThat(decision.exceeded()).isEqualTo(LimitKind.TOKENS);
        assertThat(decision.neverFits()).isTrue();
    }
}
