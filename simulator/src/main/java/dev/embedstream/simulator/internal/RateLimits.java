package dev.embedstream.simulator.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Per-API-key limiters, created on first use with full buckets, like a fresh key at OpenAI. */
final class RateLimits {

    private final long rpm;
    private final long tpm;
    private final Clock clock;
    private final ConcurrentMap<String, KeyRateLimiter> byKey = new ConcurrentHashMap<>();

    RateLimits(long rpm, long tpm, Clock clock) {
        this.rpm = rpm;
        this.tpm = tpm;
        this.clock = clock;
    }

    RateDecision tryAcquire(String apiKey, long requestTokens) {
        return limiter(apiKey).tryAcquire(requestTokens, nowNanos());
    }

    RateSnapshot peek(String apiKey) {
        return limiter(apiKey).peek(nowNanos());
    }

    private KeyRateLimiter limiter(String apiKey) {
        return byKey.computeIfAbsent(apiKey, key -> new KeyRateLimiter(rpm, tpm, nowNanos()));
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }
}
