package dev.embedstream.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.simulator.Faults;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultDiceTest {

    @Test
    void shouldRollTheSameFaultsForTheSameSeed() {
        // Given
        Faults faults = Faults.NONE.withServerErrorRate(0.5).withNanRate(0.3);

        // When
        List<FaultPlan> first = roll(new FaultDice(7, faults), 50);
        List<FaultPlan> second = roll(new FaultDice(7, faults), 50);
        List<FaultPlan> otherSeed = roll(new FaultDice(8, faults), 50);

        // Then
        assertThat(first).isEqualTo(second);
        assertThat(first).isNotEqualTo(otherSeed);
    }

    @Test
    void shouldRestartTheSequenceWhenFaultsAreSet() {
        // Given
        Faults faults = Faults.NONE.withUnavailableRate(0.5);
        FaultDice dice = new FaultDice(7, faults);
        List<FaultPlan> first = roll(dice, 20);

        // When
        dice.set(faults);

        // Then
        assertThat(roll(dice, 20)).isEqualTo(first);
    }

    @Test
    void shouldFireAtRoughlyTheConfiguredRateAndNeverOrAlwaysAtTheBounds() {
        // Given
        FaultDice dice = new FaultDice(1, Faults.NONE.withServerErrorRate(0.3).withConnectionResetRate(1.0));

        // When
        List<FaultPlan> plans = roll(dice, 10_000);

        // Then
        long errors = plans.stream().filter(FaultPlan::serverError).count();
        assertThat(errors).isBetween(2_800L, 3_200L);
        assertThat(plans).allMatch(FaultPlan::connectionReset).noneMatch(FaultPlan::timeout);
    }

    private static List<FaultPlan> roll(FaultDice dice, int count) {
        List<FaultPlan> plans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            plans.add(dice.roll());
        }
        return plans;
    }
}
