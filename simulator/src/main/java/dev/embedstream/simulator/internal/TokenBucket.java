package dev.embedstream.simulator.internal;

/**
 * A continuously refilling bucket: capacity {@code limit}, refilled at {@code limit} per minute.
 *
 * <p>The level is kept in "unit-nanos" (units × nanoseconds per minute) so that refilling is an exact integer
 * multiplication: {@code limit × elapsedNanos}. Exactness matters because tests compare retry-after values to the
 * millisecond, and floating point drift would make a full bucket read as one unit short. Not thread-safe: the owning
 * {@link KeyRateLimiter} serialises access.
 */
final class TokenBucket {

    static final long NANOS_PER_MINUTE = 60_000_000_000L;
    /** Keeps {@code limit × NANOS_PER_MINUTE} inside a long. */
    static final long MAX_LIMIT = 100_000_000L;

    private final long limit;
    private final long capacity;
    private long level;
    private long lastRefillNanos;

    TokenBucket(long limit, long nowNanos) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ": " + limit);
        }
        this.limit = limit;
        this.capacity = limit * NANOS_PER_MINUTE;
        this.level = capacity;
        this.lastRefillNanos = nowNanos;
    }

    long limit() {
        return limit;
    }

    /** Adds what has dripped in since the last call; a clock that steps backwards adds nothing. */
    void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed <= 0) {
            return;
        }
        lastRefillNanos = nowNanos;
        // After a full minute any bucket is full; capping first keeps limit × elapsed from overflowing.
        level = elapsed >= NANOS_PER_MINUTE ? capacity : Math.min(capacity, level + limit * elapsed);
    }

    boolean canTake(long amount) {
        return amount <= limit && level >= scaled(amount);
    }

    void take(long amount) {
        level -= scaled(amount);
    }

    /** Whole units available now (what {@code x-ratelimit-remaining-*} reports). */
    long remaining() {
        return level / NANOS_PER_MINUTE;
    }

    /** Wait until {@code amount} is available; for an amount above the limit, the wait until the bucket is full. */
    long nanosUntilAvailable(long amount) {
        long wanted = scaled(Math.min(amount, limit));
        return ceilDiv(Math.max(0, wanted - level), limit);
    }

    /** Wait until the bucket is back to its initial (full) state: {@code x-ratelimit-reset-*}. */
    long nanosUntilFull() {
        return ceilDiv(capacity - level, limit);
    }

    private static long scaled(long amount) {
        return Math.multiplyExact(amount, NANOS_PER_MINUTE);
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
