package dev.embedstream.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long START = 1_000_000_000_000L;

    @Test
    void shouldStartFullSoAFreshKeyCanSpendItsWholeMinuteAtOnce() {
        // Given / When
        TokenBucket bucket = new TokenBucket(60, START);

        // Then
        assertThat(bucket.remaining()).isEqualTo(60);
        assertThat(bucket.canTake(60)).isTrue();
        assertThat(bucket.nanosUntilFull()).isZero();
    }

    @Test
    void shouldRefillContinuouslyAtTheLimitPerMinute() {
        // Given a bucket of 60 per minute, emptied
        TokenBucket bucket = new TokenBucket(60, START);
        bucket.take(60);

        // When half a second passes, then another half
        bucket.refill(START + nanos(Duration.ofMillis(500)));
        long afterHalf = bucket.remaining();
        bucket.refill(START + nanos(Duration.ofSeconds(1)));

        // Then one unit dripped in per second, and the half-unit was not lost in between
        assertThat(afterHalf).isZero();
        assertThat(bucket.remaining()).isEqualTo(1);
    }

    @Test
    void shouldNeverRefillBeyondItsCapacity() {
        // Given
        TokenBucket bucket = new TokenBucket(1_000, START);
        bucket.take(10);

        // When an hour passes
        bucket.refill(START + nanos(Duration.ofHours(1)));

        // Then
        assertThat(bucket.remaining()).isEqualTo(1_000);
        assertThat(bucket.nanosUntilFull()).isZero();
    }

    @Test
    void shouldComputeTheExactWaitUntilAnAmountFits() {
        // Given 60,000 per minute is 1,000 per second, and the bucket is empty
        TokenBucket bucket = new TokenBucket(60_000, START);
        bucket.take(60_000);

        // When / Then
        assertThat(bucket.nanosUntilAvailable(250)).isEqualTo(nanos(Duration.ofMillis(250)));
        assertThat(bucket.canTake(250)).isFalse();
        bucket.refill(START + nanos(Duration.ofMillis(250)));
        assertThat(bucket.canTake(250)).isTrue();
        assertThat(bucket.canTake(251)).isFalse();
    }

    @Test
    void shouldRoundAFractionalWaitUpSoTheClientIsNeverEarly() {
        // Given 7 per minute: one unit every 8.571428... s
        TokenBucket bucket = new TokenBucket(7, START);
        bucket.take(7);

        // When
        long wait = bucket.nanosUntilAvailable(1);

        // Then waiting exactly that long is enough, and one nanosecond less is not
        assertThat(wait).isEqualTo(8_571_428_572L);
        TokenBucket early = new TokenBucket(7, START);
        early.take(7);
        early.refill(START + wait - 1);
        assertThat(early.canTake(1)).isFalse();
        bucket.refill(START + wait);
        assertThat(bucket.canTake(1)).isTrue();
    }

    @Test
    void shouldReportTheTimeUntilFullAsTheResetTime() {
        // Given 3,000 requests per minute: one request refills in 20 ms
        TokenBucket bucket = new TokenBucket(3_000, START);

        // When
        bucket.take(1);

        // Then
        assertThat(bucket.nanosUntilFull()).isEqualTo(nanos(Duration.ofMillis(20)));
        assertThat(bucket.remaining()).isEqualTo(2_999);
    }

    @Test
    void shouldNeverAdmitMoreThanItsWholeCapacity() {
        // Given
        TokenBucket bucket = new TokenBucket(100, START);

        // When / Then a request above the limit can never fit; its wait is the time to a full bucket
        assertThat(bucket.canTake(101)).isFalse();
        bucket.take(40);
        assertThat(bucket.nanosUntilAvailable(101)).isEqualTo(bucket.nanosUntilFull());
    }

    @Test
    void shouldIgnoreAClockThatStepsBackwards() {
        // Given
        TokenBucket bucket = new TokenBucket(60, START);
        bucket.take(60);

        // When the clock jumps back, then forward to one second after the original start
        bucket.refill(START - nanos(Duration.ofMinutes(5)));
        bucket.refill(START + nanos(Duration.ofSeconds(1)));

        // Then only the real second counted
        assertThat(bucket.remaining()).isEqualTo(1);
    }

    @Test
    void shouldRejectALimitItCannotKeepExact() {
        assertThatThrownBy(() -> new TokenBucket(0, START)).hasMessageContaining("limit");
        assertThatThrownBy(() -> new TokenBucket(TokenBucket.MAX_LIMIT + 1, START)).hasMessageContaining("limit");
    }

    private static long nanos(Duration duration) {
        return duration.toNanos();
    }
}
