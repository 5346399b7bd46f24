package dev.embedstream.app.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.app.ModelSpec;
import dev.embedstream.writer.Coverage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReembedReadinessTest {

    private static Coverage coverage(String role, long total, long current, long dead) {
        long pending = total - current;
        return new Coverage("c", role.equals("active") ? 1 : 2, "m", role, total, current, 0, pending, dead, 0, null);
    }

    private static ReembedJob.Options options(double threshold) {
        return new ReembedJob.Options(ModelSpec.parse("all-minilm-l6-v2", 0), threshold, false, 16, 64, 32, 500,
                Duration.ofMinutes(1));
    }

    @Test
    void shouldCutOverWhenTheNewModelHoldsWhatTheActiveOneHolds() {
        // Given a table that keeps changing: 3 rows in flight for both models
        Coverage active = coverage("active", 100, 97, 0);
        // Then the new generation is ready once it holds as much, not before
        assertThat(ReembedJob.ready(options(1.0)).test(coverage("building", 100, 97, 0), active)).isTrue();
        assertThat(ReembedJob.ready(options(1.0)).test(coverage("building", 100, 96, 0), active)).isFalse();
        // And a lower threshold cuts over earlier
        assertThat(ReembedJob.ready(options(0.9)).test(coverage("building", 100, 88, 0), active)).isTrue();
        assertThat(ReembedJob.ready(options(0.9)).test(coverage("building", 100, 87, 0), active)).isFalse();
    }

    @Test
    void shouldCallAGenerationSettledWhenOnlyDeadLettersArePending() {
        assertThat(CoverageWait.settled(coverage("active", 10, 8, 2))).isTrue();
        assertThat(CoverageWait.settled(coverage("active", 10, 8, 1))).isFalse();
        assertThat(CoverageWait.settled(coverage("active", 10, 10, 0))).isTrue();
    }
}
