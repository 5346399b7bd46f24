package dev.embedstream.simulator.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Wall time at creation advanced by {@link System#nanoTime()}: an NTP step or a suspended laptop must not refill
 * or freeze rate-limit buckets, which a plain system clock would.
 */
public final class MonotonicClock extends Clock {

    private final Instant origin;
    private final long originNanos;

    public MonotonicClock() {
        this(Instant.now(), System.nanoTime());
    }

    private MonotonicClock(Instant origin, long originNanos) {
        this.origin = origin;
        this.originNanos = originNanos;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("the simulator's clock is UTC only");
    }

    @Override
    public Instant instant() {
        return origin.plusNanos(System.nanoTime() - originNanos);
    }
}
