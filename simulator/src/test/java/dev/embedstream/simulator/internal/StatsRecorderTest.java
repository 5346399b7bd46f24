package dev.embedstream.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.simulator.ManualClock;
import dev.embedstream.simulator.Stats;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatsRecorderTest {

    @Test
    void shouldCountTotalsAndSplitThemIntoClockMinutes() {
        // Given
        ManualClock clock = new ManualClock(Instant.parse("2025-01-01T12:00:30Z"));
        StatsRecorder recorder = new StatsRecorder(clock);

        // When two requests land in one minute and a third in the next
        recorder.request();
        recorder.charged(100);
        recorder.answered(200);
        recorder.embedded(3);
        recorder.request();
        recorder.answered(429);
        clock.advance(Duration.ofSeconds(45));
        recorder.request();
        recorder.answered(503);
        recorder.request();
        recorder.dropped();
        recorder.request();
        recorder.answered(400);

        // Then
        Stats stats = recorder.snapshot();
        assertThat(stats.requests()).isEqualTo(5);
        assertThat(stats.ok()).isEqualTo(1);
        assertThat(stats.rateLimited()).isEqualTo(1);
        assertThat(stats.serverErrors()).isEqualTo(1);
        assertThat(stats.clientErrors()).isEqualTo(1);
        assertThat(stats.dropped()).isEqualTo(1);
        assertThat(stats.inputsEmbedded()).isEqualTo(3);
        assertThat(stats.tokensCharged()).isEqualTo(100);
        assertThat(stats.minutes()).extracting(Stats.Minute::start)
                .containsExactly(Instant.parse("2025-01-01T12:00:00Z"), Instant.parse("2025-01-01T12:01:00Z"));
        assertThat(stats.minutes()).extracting(Stats.Minute::requests).containsExactly(2L, 3L);
        assertThat(stats.minutes().get(0).tokensCharged()).isEqualTo(100);
    }

    @Test
    void shouldKeepOnlyTheLastHourOfMinutes() {
        // Given
        ManualClock clock = ManualClock.atNoon();
        StatsRecorder recorder = new StatsRecorder(clock);

        // When
        for (int i = 0; i < 90; i++) {
            recorder.request();
            clock.advance(Duration.ofMinutes(1));
        }

        // Then
        Stats stats = recorder.snapshot();
        assertThat(stats.requests()).isEqualTo(90);
        assertThat(stats.minutes()).hasSize(60);
        assertThat(stats.minutes().get(59).start()).isEqualTo(Instant.parse("2025-01-01T13:29:00Z"));
    }
}
