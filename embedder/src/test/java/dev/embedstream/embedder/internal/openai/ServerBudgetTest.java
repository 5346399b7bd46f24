package dev.embedstream.embedder.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldLetAFullBucketGoAndMakeTheNextWaitForTheRefill() {
        // Given a budget of 600 per minute (10 per second)
        ServerBudget budget = new ServerBudget(600, 0);
        // When the whole bucket is taken, then 20 more
        long first = budget.reserve(600, 0);
        long second = budget.reserve(20, 0);
        // Then the first goes now and the second waits two seconds of refill
        assertThat(first).isZero();
        assertThat(second).isEqualTo(2 * SECOND);
    }

    @Test
    void shouldLowerTheEstimateToWhatTheHeadersSayOthersLeft() {
        // Given our own view of a nearly full bucket
        ServerBudget budget = new ServerBudget(600, 0);
        budget.reserve(10, 0);
        // When a reply says only 50 remain (another instance used the rest) and nothing of ours is in flight
        budget.settle(10, 600L, 50L, 0);
        // Then our estimate follows the provider's
        assertThat(budget.available(0)).isEqualTo(50.0);
        assertThat(budget.reserve(100, 0)).isEqualTo(5 * SECOND);
    }

    @Test
    void shouldNotCountOurOwnInFlightRequestsTwice() {
        // Given two requests of ours in flight
        ServerBudget budget = new ServerBudget(600, 0);
        budget.reserve(100, 0);
        budget.reserve(100, 0);
        // When the first replies and the header (which cannot know the second yet) says 500 remain
        budget.settle(100, 600L, 500L, 0);
        // Then the second one is still subtracted
        assertThat(budget.available(0)).isEqualTo(400.0);
    }

    @Test
    void shouldStartFromEmptyAfterA429() {
        ServerBudget budget = new ServerBudget(600, 0);
        budget.exhausted(0);
        assertThat(budget.reserve(10, SECOND)).isZero();
        assertThat(budget.reserve(10, SECOND)).isEqualTo(SECOND);
    }
}
