package dev.embedstream.simulator.internal;

/**
 * Which faults fire for one request. {@code pick} is a deterministic random number for choosing where a fault
 * lands (which vector loses a value, which one goes missing).
 */
record FaultPlan(boolean rateLimitStorm, boolean connectionReset, boolean timeout, boolean serverError,
                 boolean unavailable, boolean slow, boolean malformedJson, boolean wrongDimensions, boolean nan,
                 boolean missingVectors, long pick) {

    /** An index in {@code [0, size)} chosen by this request's dice. */
    int pickIndex(int size) {
        return (int) Math.floorMod(pick, (long) size);
    }
}
