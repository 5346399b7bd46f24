package dev.embedstream.embedder.internal.openai;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Admission for provider requests. Two resilience4j limiters hold this deployment to its configured
 * requests and tokens per minute; two {@link ServerBudget}s follow the provider's own buckets from
 * its headers, so several instances on one account share it; a {@code Retry-After} pauses everyone.
 */
public final class RateGate {

    private final RateLimiter requests;
    private final RateLimiter tokens;
    private final ServerBudget serverRequests;
    private final ServerBudget serverTokens;
    private final LongSupplier nanoTime;
    private final Duration maxWait;
    private final AtomicLong pausedUntil = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong waitedNanos = new AtomicLong();

    public RateGate(String name, int rpm, int tpm, Duration maxWait, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.maxWait = maxWait;
        this.requests = RateLimiter.of(name + "-requests", perMinute(rpm, maxWait));
        this.tokens = RateLimiter.of(name + "-tokens", perMinute(tpm, maxWait));
        long now = nanoTime.getAsLong();
        this.serverRequests = new ServerBudget(rpm, now);
        this.serverTokens = new ServerBudget(tpm, now);
    }

    /**
     * Spreads a per-minute limit over one-second periods (or one permit per 60/limit seconds for
     * limits under 60), so bursts stay small; requests larger than a period wait several periods.
     */
    static RateLimiterConfig perMinute(int perMinute, Duration maxWait) {
        boolean slow = perMinute < 60;
        return RateLimiterConfig.custom()
                .limitRefreshPeriod(slow ? Duration.ofMillis(60_000L / perMinute) : Duration.ofSeconds(1))
                .limitForPeriod(slow ? 1 : perMinute / 60)
                .timeoutDuration(maxWait)
                .build();
    }

    /** Blocks until a request of {@code tokenCount} tokens may go; false when that would exceed the wait limit. */
    public boolean acquire(int tokenCount) throws InterruptedException {
        long start = nanoTime.getAsLong();
        long deadline = start + maxWait.toNanos();
        sleepUntil(pausedUntil.get(), deadline);
        if (!requests.acquirePermission(1) || !tokens.acquirePermission(tokenCount)) {
            return false;
        }
        long now = nanoTime.getAsLong();
        long wait = Math.max(serverRequests.reserve(1, now), serverTokens.reserve(tokenCount, now));
        if (now + wait > deadline) {
            return false;
        }
        sleepUntil(now + wait, deadline);
        waitedNanos.addAndGet(nanoTime.getAsLong() - start);
        return true;
    }

    /** A reply came back with these {@code x-ratelimit-*} values (null when absent). */
    public void settle(int tokenCount, RateLimitHeaders headers) {
        long now = nanoTime.getAsLong();
        serverRequests.settle(1, headers.limitRequests(), headers.remainingRequests(), now);
        serverTokens.settle(tokenCount, headers.limitTokens(), headers.remainingTokens(), now);
    }

    /** A 429/503: nobody sends before {@code retryAfter} has passed. */
    public void pause(Duration retryAfter, boolean budgetExhausted) {
        long now = nanoTime.getAsLong();
        pausedUntil.accumulateAndGet(now + retryAfter.toNanos(), Math::max);
        if (budgetExhausted) {
            serverRequests.exhausted(now);
            serverTokens.exhausted(now);
        }
    }

    /** Total time callers spent waiting for admission. */
    public Duration waited() {
        return Duration.ofNanos(waitedNanos.get());
    }

    private void sleepUntil(long target, long deadline) throws InterruptedException {
        long now = nanoTime.getAsLong();
        if (target <= now) {
            return;
        }
        long until = Math.min(target, deadline);
        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(until - now);
    }
}
