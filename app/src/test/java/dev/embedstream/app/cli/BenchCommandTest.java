package dev.embedstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void shouldRefuseAMisspeltScenarioBeforeRunningAnything() {
        // Given a typo in --only, When the bench starts
        int code = run("--only", "writer,wrtier");

        // Then it stops with a usage error naming the name and the known ones (no broker started, no results written)
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--only: unknown name 'wrtier'").contains("maintenance").contains("publish");
    }

    @Test
    void shouldRefuseAnUnknownProviderCase() {
        assertThat(run("--provider-cases", "one,three")).isEqualTo(2);
        assertThat(err.toString()).contains("--provider-cases: unknown name 'three'");
    }

    @Test
    void shouldRefuseSizesBelowOneNamingTheFlag() {
        assertThat(run("--bulk-rows", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--bulk-rows must be at least 1, was 0");
    }

    @Test
    void shouldRefuseANonPositiveScalingSize() {
        assertThat(run("--scaling-sizes", "100000,-3")).isEqualTo(2);
        assertThat(err.toString()).contains("--scaling-sizes (value 2) must be at least 1, was -3");
    }
}
