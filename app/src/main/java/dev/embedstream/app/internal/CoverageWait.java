package dev.embedstream.app.internal;

import dev.embedstream.writer.Coverage;
import dev.embedstream.writer.VectorStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/**
 * Waits, with a progress bar, until a collection's coverage says the work is done; gives up with a
 * clear message when nothing moves for a while (workers down, everything left dead-lettered).
 */
public final class CoverageWait {

    /** How long coverage may stand still before the wait gives up. */
    public static final Duration DEFAULT_STALL = Duration.ofMinutes(5);
    private static final long POLL_MILLIS = 500;
    /** Everything left is dead-lettered: a retry could still be on its way, but not for long. */
    private static final Duration DEAD_LETTER_GRACE = Duration.ofSeconds(15);

    private final VectorStore store;
    private final Context context;
    private final Clock clock;
    private final Duration stall;
    private final Runnable healthCheck;
    private final Duration nudgeAfter;
    private final Runnable nudge;

    public CoverageWait(Context context, Clock clock, Duration stall) {
        this(context, clock, stall, () -> { }, stall, () -> { });
    }

    private CoverageWait(Context context, Clock clock, Duration stall, Runnable healthCheck, Duration nudgeAfter,
                         Runnable nudge) {
        this.store = context.store();
        this.context = context;
        this.clock = clock;
        this.stall = stall;
        this.healthCheck = healthCheck;
        this.nudgeAfter = nudgeAfter;
        this.nudge = nudge;
    }

    /** Also checks a helper the wait depends on (it throws when the helper has failed). */
    public CoverageWait checking(Runnable check) {
        return new CoverageWait(context, clock, stall, check, nudgeAfter, nudge);
    }

    /**
     * When coverage has not moved for {@code after} (shorter than the stall timeout), runs
     * {@code action} once per such pause before giving up: say, replaying what is still missing.
     */
    public CoverageWait nudging(Duration after, Runnable action) {
        return new CoverageWait(context, clock, stall, healthCheck, after, action);
    }

    /**
     * Polls the coverage of {@code generation} until {@code done} holds for it, showing current of
     * total. Returns the last coverage.
     */
    public Coverage await(String collection, int generation, String label, Predicate<Coverage> done) {
        return await(collection, generation, label, (c, active) -> done.test(c));
    }

    /** As {@link #await(String, int, String, Predicate)}, the test also seeing the active generation's coverage. */
    public Coverage await(String collection, int generation, String label,
                          java.util.function.BiPredicate<Coverage, Coverage> done) {
        List<Coverage> all = store.coverage(collection);
        Coverage c = pick(all, collection, generation);
        ProgressBar bar = ProgressBar.forConsole(label).startingAt(c.current());
        long best = c.current();
        Instant lastMove = clock.instant();
        Instant lastNudge = lastMove;
        while (!done.test(c, active(all))) {
            context.requireHealthy();
            healthCheck.run();
            bar.update(c.current(), c.total());
            if (c.current() > best) {
                best = c.current();
                lastMove = clock.instant();
                lastNudge = lastMove;
            } else if (Duration.between(lastNudge, clock.instant()).compareTo(nudgeAfter) > 0
                    && nudgeAfter.compareTo(stall) < 0) {
                lastNudge = clock.instant();
                nudge.run();
            } else if (Duration.between(lastMove, clock.instant()).compareTo(
                    settled(c) && c.deadLettered() > 0 ? DEAD_LETTER_GRACE : stall) > 0) {
                bar.finish(c.current(), c.total());
                throw new IllegalStateException(stalled(c));
            }
            sleep();
            all = store.coverage(collection);
            c = pick(all, collection, generation);
        }
        bar.finish(c.current(), c.total());
        return c;
    }

    /** Nothing pending but what was dead-lettered: the workers have done all they can. */
    public static boolean settled(Coverage c) {
        return c.stale() + c.missing() == c.deadLettered();
    }

    private String stalled(Coverage c) {
        String why = c.deadLettered() > 0 && settled(c)
                ? c.deadLettered() + " documents were dead-lettered (see `embedstream dlq list`)"
                : context.inProcess() ? "the embedder made no progress"
                : "no worker made progress: is `embedstream run` up, with the settings of " + c.model() + "?";
        return "coverage of " + c.collection() + " generation " + c.generation() + " (" + c.model() + ") stood at "
                + c.current() + "/" + c.total() + " for " + stall.toSeconds() + " s: " + why;
    }

    private static Coverage active(List<Coverage> all) {
        return all.stream().filter(x -> x.role().equals("active")).findFirst().orElse(all.get(0));
    }

    private static Coverage pick(List<Coverage> all, String collection, int generation) {
        return all.stream().filter(x -> x.generation() == generation).findFirst()
                .orElseThrow(() -> new IllegalStateException("generation " + generation + " of " + collection
                        + " is no longer live (aborted elsewhere?)"));
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for coverage", e);
        }
    }
}
