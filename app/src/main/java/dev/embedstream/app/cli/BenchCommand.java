package dev.embedstream.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code embedstream bench}: placeholder until written below. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
