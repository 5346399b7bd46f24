package dev.embedstream.simulator.internal;

import dev.embedstream.simulator.Faults;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rolls each request's faults from (seed, request number, fault) alone, with no shared random generator, so the
 * outcome of request n does not depend on how threads interleaved the rolls of other requests.
 */
final class FaultDice {

    private static final double UNIT = 0x1.0p-53;

    private final long seed;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Faults faults;

    FaultDice(long seed, Faults faults) {
        this.seed = seed;
        this.faults = faults;
    }

    Faults faults() {
        return faults;
    }

    /** Restarts the sequence so that a test setting faults sees the same outcomes on every run. */
    synchronized void set(Faults newFaults) {
        faults = newFaults;
        sequence.set(0);
    }

    FaultPlan roll() {
        Faults f = faults;
        long n = sequence.getAndIncrement();
        return new FaultPlan(f,
                hits(n, 0, f.rateLimitStormRate()), hits(n, 1, f.connectionResetRate()), hits(n, 2, f.timeoutRate()),
                hits(n, 3, f.serverErrorRate()), hits(n, 4, f.unavailableRate()), hits(n, 5, f.slowRate()),
                hits(n, 6, f.malformedJsonRate()), hits(n, 7, f.wrongDimensionsRate()), hits(n, 8, f.nanRate()),
                hits(n, 9, f.missingVectorsRate()), mix(seed ^ mix(n * 31 + 10)));
    }

    private boolean hits(long n, int fault, double rate) {
        return uniform(n, fault) < rate;
    }

    private double uniform(long n, int fault) {
        return (mix(seed ^ mix(n * 31 + fault)) >>> 11) * UNIT;
    }

    /** SplitMix64's finaliser: a well-spread 64-bit hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
