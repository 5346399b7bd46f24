package dev.embedstream.simulator.internal;

import dev.embedstream.simulator.Faults;

/**
 * Which faults fire for one request, with the settings they were rolled under (so a concurrent {@code setFaults}
 * cannot pair one setting's dice with another's latency). {@code pick} is a deterministic random number for
 * choosing where a fault lands.
 */
record FaultPlan(Faults faults, boolean rateLimitStorm, boolean connectionReset, boolean timeout,
                 boolean serverError, boolean unavailable, boolean slow, boolean malformedJson,
                 boolean wrongDimensions, boolean nan, boolean missingVectors, long pick) {

    /** An index in {@code [0, size)}; different salts give independent choices from the same dice. */
    int pickIndex(int size, int salt) {
        return (int) Math.floorMod(Long.rotateLeft(pick, salt * 17), (long) size);
    }
}
