package dev.embedstream.embedder.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class ServerBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldLetAFullBucketGoAndMakeTheNextWaitForTheRefill() {
        // Given a budget of 600 per minute (10 per second) whose provider reported a full bucket
        ServerBudget budget = new ServerBudget(600, 0);
        budget.settle(budget.reserve(1, 60 * SECOND), true, 600L, 600L, 60 * SECOND);
        // When all but the 2% reserve is taken, then 100 more
        ServerBudget.Ticket first = budget.reserve(588, 60 * SECOND);
        ServerBudget.Ticket second = budget.reserve(100, 60 * SECOND);
        // Then the first goes now and the second waits for the refill
        assertThat(first.waitNanos()).isZero();
        assertThat(second.waitNanos()).isCloseTo(10 * SECOND, offset(1000L));
    }

    @Test
    void shouldAssumeNothingIsLeftBeforeTheFirstReply() {
        ServerBudget budget = new ServerBudget(600, 0);
        // 10 tokens plus the reserve of 12, at 10 per second
        assertThat(budget.reserve(10, 0).waitNanos()).isEqualTo(2_200_000_000L);
    }

    @Test
    void shouldFollowWhatTheProviderSaysIsLeft() {
        // Given our own view of a nearly full bucket
        ServerBudget budget = new ServerBudget(600, 0);
        ServerBudget.Ticket t = budget.reserve(10, 0);
        // When the reply says only 50 remain (someone else used the rest)
        budget.settle(t, true, 600L, 50L, 0);
        // Then our estimate follows the provider's, less the reserve left for others (2% of 600)
        assertThat(budget.available(0)).isEqualTo(38.0);
        assertThat(budget.reserve(100, 0).waitNanos()).isPositive();
    }

    @Test
    void shouldSubtractOurRequestsSentAfterTheRepliedOne() {
        // Given two requests of ours, the second sent before the first's reply came back
        ServerBudget budget = new ServerBudget(600, 0);
        budget.settle(budget.reserve(0, 0), true, 600L, 600L, 0);
        ServerBudget.Ticket a = budget.reserve(100, 0);
        budget.reserve(100, 0);
        // When the first replies with 500 remaining (the provider had not seen the second yet)
        budget.settle(a, true, 600L, 500L, 0);
        // Then the second is still counted against us (and the reserve of 12 is kept)
        assertThat(budget.available(0)).isEqualTo(388.0);
    }

    @Test
    void shouldSlowDownWhenTheBucketRunsLowAndSpeedUpWhenItHoldsMore() {
        // Given a budget at its full share
        ServerBudget budget = new ServerBudget(6000, 0);
        assertThat(budget.share()).isEqualTo(1.0);
        // When a reply shows the bucket nearly empty (someone else is using it too)
        budget.settle(budget.reserve(10, 0), true, 6000L, 50L, SECOND);
        // Then our share shrinks
        assertThat(budget.share()).isCloseTo(0.9, offset(1e-9));
        // And when, ten seconds later, the bucket holds plenty again, it grows back
        budget.settle(budget.reserve(10, 11 * SECOND), true, 6000L, 3000L, 11 * SECOND);
        assertThat(budget.share()).isEqualTo(1.0);
    }

    @Test
    void shouldBackOffHarderOnA429() {
        ServerBudget budget = new ServerBudget(6000, 0);
        budget.settle(budget.reserve(10, 0), false, 6000L, 5L, SECOND);
        assertThat(budget.share()).isCloseTo(0.7, offset(1e-9));
    }
}
