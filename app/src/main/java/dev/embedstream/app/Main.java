package dev.embedstream.app;

import dev.embedstream.app.cli.BenchCommand;
import dev.embedstream.app.cli.DemoCommand;
import dev.embedstream.app.cli.DlqCommand;
import dev.embedstream.app.cli.PublishCommand;
import dev.embedstream.app.cli.RunCommand;
import dev.embedstream.app.cli.SearchCommand;
import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code embedstream} command line. */
@Command(name = "embedstream", mixinStandardHelpOptions = true, version = "embedstream 0.1.0",
        description = "Event-driven embedding pipeline for PostgreSQL + pgvector. Configured by EMBEDSTREAM_* "
                + "environment variables (see README).",
        subcommands = {DemoCommand.class, PublishCommand.class, SearchCommand.class, RunCommand.class,
                BenchCommand.class, DlqCommand.class, dev.embedstream.app.cli.CollectionCommand.class,
                dev.embedstream.app.cli.BackfillCommand.class, dev.embedstream.app.cli.ReembedCommand.class,
                dev.embedstream.app.cli.StatusCommand.class, dev.embedstream.app.cli.MaintenanceCommand.class,
                dev.embedstream.app.cli.TuneCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command and returns its exit code: 0 done, 1 failed, 2 bad input or config. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException || e instanceof InvalidInputException) {
                commandLine.getErr().println("embedstream: " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("embedstream: " + e.getMessage());
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                commandLine.getErr().println("  caused by: " + cause);
            }
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
