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

    /** Admission of one request: hand it back to {@link #settle} with the reply's headers. */
    public record Pass(ServerBudget.Ticket requests, ServerBudget.Ticket tokens) {
    }

    /**
     * Blocks until a request of {@code tokenCount} tokens may go ({@code retry}: a new attempt of a
     * request admitted before); empty when that would take longer
     * than the wait limit. The provider-budget wait and the local limiters' wait run at the same
     * time, so the request waits for the longer of the two, not their sum.
     */
    public java.util.Optional<Pass> acquire(int tokenCount, boolean retry) throws InterruptedException {
        long start = nanoTime.getAsLong();
        long deadline = start + maxWait.toNanos();
        sleepUntil(pausedUntil.get(), deadline);
        long now = nanoTime.getAsLong();
        Pass pass = new Pass(serverRequests.reserve(1, now), serverTokens.reserve(tokenCount, now));
        long sendAt = now + Math.max(pass.requests().waitNanos(), pass.tokens().waitNanos());
        // A retry keeps the local permits of its first attempt: the planned rate is per request, and
        // a request refused (429) or lost on a dead connection was not served.
        if (sendAt > deadline || !retry && (!requests.acquirePermission(1) || !tokens.acquirePermission(tokenCount))) {
            settle(pass, false, RateLimitHeaders.NONE);
            return java.util.Optional.empty();
        }
        sleepUntil(sendAt, deadline);
        waitedNanos.addAndGet(nanoTime.getAsLong() - start);
        return java.util.Optional.of(pass);
    }

    /**
     * A reply came back with these {@code x-ratelimit-*} values (null when absent); {@code charged}:
     * the provider counted the request (anything but a 429).
     */
    public void settle(Pass pass, boolean charged, RateLimitHeaders headers) {
        long now = nanoTime.getAsLong();
        serverRequests.settle(pass.requests(), charged, headers.limitRequests(), headers.remainingRequests(), now);
        serverTokens.settle(pass.tokens(), charged, headers.limitTokens(), headers.remainingTokens(), now);
    }

    /** A 429/503: nobody sends before {@code retryAfter} has passed. */
    public void pause(Duration retryAfter) {
        long now = nanoTime.getAsLong();
        // A absurd Retry-After is capped: the batch then gives up after the wait limit instead of overflowing.
        Duration wait = retryAfter.isNegative() ? Duration.ZERO : retryAfter.compareTo(maxWait) > 0 ? maxWait : retryAfter;
        pausedUntil.accumulateAndGet(now + wait.toNanos(), Math::max);
    }

    /** Share of the token limit this instance currently plans to use. */
    public double tokenShare() {
        return serverTokens.share();
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
