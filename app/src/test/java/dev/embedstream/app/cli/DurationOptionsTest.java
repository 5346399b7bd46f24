package dev.embedstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationOptionsTest {

    private final StringWriter err = new StringWriter();

    @Test
    void shouldTakeThePollIntervalInTheFormTheReadmeShows() {
        // Given the README's `backfill NAME --poll-interval 5s`
        BackfillCommand backfill = new BackfillCommand();

        // When it is parsed
        new CommandLine(backfill).parseArgs("docs", "--poll-interval", "5s");

        // Then the interval is five seconds
        assertThat(backfill.pollInterval).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldTakeMillisecondsMinutesAndIsoDurations() {
        assertThat(pollInterval("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(pollInterval("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(pollInterval("PT1H")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldDefaultToFiveSecondsAndFiveMinutes() {
        BackfillCommand backfill = new BackfillCommand();
        new CommandLine(backfill).parseArgs("docs");
        ReembedCommand reembed = new ReembedCommand();
        new CommandLine(reembed).parseArgs("docs");

        assertThat(backfill.pollInterval).isEqualTo(Duration.ofSeconds(5));
        assertThat(reembed.stall).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldRefuseAValueWithoutAUnitAsAUsageError() {
        // Given a bare number, When the command runs
        int code = run(new ReembedCommand(), "docs", "--stall-timeout", "90");

        // Then it stops before doing anything, naming the option and the forms it takes
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--stall-timeout").contains("'90' is not a duration (e.g. 250ms, 5s, 2m, PT1H)");
    }

    @Test
    void shouldRefuseAZeroInterval() {
        int code = run(new BackfillCommand(), "docs", "--watch", "--poll-interval", "0s");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'0s' is not a positive duration");
    }

    private static Duration pollInterval(String value) {
        BackfillCommand backfill = new BackfillCommand();
        new CommandLine(backfill).parseArgs("docs", "--poll-interval", value);
        return backfill.pollInterval;
    }

    private int run(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }
}
