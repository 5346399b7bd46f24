package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.internal.ProgressBar;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.ingest.ImportReport;
import dev.embedstream.ingest.JsonlImporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code embedstream publish docs.jsonl}: publishes a JSON Lines file (or stdin) to the documents topic. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish documents from a JSON Lines file (or - for stdin), one {\"id\",\"text\",\"metadata\","
                + "\"version\",\"collection\"} object per line. Invalid lines are reported with their line number.")
public final class PublishCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "JSON Lines file, or - for stdin")
    String file;

    @Option(names = "--collection", description = "collection for lines without a 'collection' field")
    String collection;

    @Override
    public Integer call() throws IOException {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        try (InputStream in = open(file); DocumentPublisher publisher = new DocumentPublisher(config.requireKafka())) {
            ProgressBar bar = ProgressBar.forConsole("publish");
            ImportReport report = new JsonlImporter(publisher).publish(in, collection, n -> bar.update(n, n));
            return report(report);
        }
    }

    /** Prints the report; exit code 0 when every line was published, 2 when some were rejected. */
    static int report(ImportReport report) {
        System.out.printf("published %d of %d lines; rejected %d%n", report.published(), report.lines(), report.rejected());
        report.errors().forEach(e -> System.err.println("  " + e));
        if (report.rejected() > report.errors().size()) {
            System.err.printf("  … and %d more%n", report.rejected() - report.errors().size());
        }
        return report.rejected() == 0 ? 0 : 2;
    }

    private static InputStream open(String file) throws IOException {
        if ("-".equals(file)) {
            return System.in;
        }
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new dev.embedstream.contracts.InvalidInputException("no such file: " + file);
        }
    }
}
