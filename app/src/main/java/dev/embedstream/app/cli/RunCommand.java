package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.Pipeline;
import dev.embedstream.contracts.ConfigLookup;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code embedstream run}: the embedder and the writer in one process until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the embedder and the writer in one process until Ctrl-C. Without "
                + "EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS a local single-node broker is started.")
public final class RunCommand implements Callable<Integer> {

    @Override
    public Integer call() throws InterruptedException {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        CountDownLatch stopped = new CountDownLatch(1);
        Pipeline pipeline = Pipeline.start(config);
        // The JVM halts once shutdown hooks return, so the hook itself closes the pipeline (finishing
        // the batches in hand and committing them) before it lets go.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            pipeline.close();
        }, "embedstream-stop"));
        System.err.println("embedstream running; Kafka at " + pipeline.kafka().bootstrapServers() + ". Ctrl-C stops.");
        try {
            while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                pipeline.requireHealthy();
            }
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        return 0;
    }
}
