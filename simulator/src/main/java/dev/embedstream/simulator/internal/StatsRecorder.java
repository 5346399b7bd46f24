package dev.embedstream.simulator.internal;

import dev.embedstream.simulator.Stats;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Counts answers in total and per minute of the simulator's clock. One lock for everything: a snapshot must never
 * show a 200 whose tokens are not yet counted, and the simulator's request rate is far below where the lock costs.
 */
final class StatsRecorder {

    private static final int MINUTES_KEPT = 60;
    private static final long SECONDS_PER_MINUTE = 60;

    private final Clock clock;
    private final Counts total = new Counts();
    private final TreeMap<Long, Counts> byMinute = new TreeMap<>();

    StatsRecorder(Clock clock) {
        this.clock = clock;
    }

    synchronized void request() {
        update(c -> c.requests++);
    }

    synchronized void answered(int status) {
        if (status == 200) {
            update(c -> c.ok++);
        } else if (status == 429) {
            update(c -> c.rateLimited++);
        } else if (status >= 500) {
            update(c -> c.serverErrors++);
        } else {
            update(c -> c.clientErrors++);
        }
    }

    synchronized void dropped() {
        update(c -> c.dropped++);
    }

    synchronized void charged(long tokens) {
        update(c -> c.tokensCharged += tokens);
    }

    synchronized void embedded(long vectors) {
        update(c -> c.inputsEmbedded += vectors);
    }

    synchronized Stats snapshot() {
        List<Stats.Minute> minutes = new ArrayList<>(byMinute.size());
        for (Map.Entry<Long, Counts> minute : byMinute.entrySet()) {
            minutes.add(minute.getValue().toMinute(Instant.ofEpochSecond(minute.getKey() * SECONDS_PER_MINUTE)));
        }
        return new Stats(total.requests, total.ok, total.rateLimited, total.serverErrors, total.clientErrors,
                total.dropped, total.inputsEmbedded, total.tokensCharged, minutes);
    }

    private void update(Consumer<Counts> change) {
        change.accept(total);
        change.accept(currentMinute());
    }

    private Counts currentMinute() {
        long minute = Math.floorDiv(clock.instant().getEpochSecond(), SECONDS_PER_MINUTE);
        Counts counts = byMinute.computeIfAbsent(minute, m -> new Counts());
        while (byMinute.size() > MINUTES_KEPT) {
            byMinute.pollFirstEntry();
        }
        return counts;
    }

    /** Mutable tallies, only touched under the recorder's lock. */
    private static final class Counts {
        long requests;
        long ok;
        long rateLimited;
        long serverErrors;
        long clientErrors;
        long dropped;
        long inputsEmbedded;
        long tokensCharged;

        Stats.Minute toMinute(Instant start) {
            return new Stats.Minute(start, requests, ok, rateLimited, serverErrors, clientErrors, dropped,
                    inputsEmbedded, tokensCharged);
        }
    }
}
