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

    public static final String HTTP_HOST = "EMBEDSTREAM_HTTP_HOST";
    public static final String HTTP_PORT = "EMBEDSTREAM_HTTP_PORT";
    /** Localhost only by default: the endpoints carry no authentication. */
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Enables the mutating endpoints (off when unset); at least 16 characters. */
    public static final String HTTP_ADMIN_TOKEN = "EMBEDSTREAM_HTTP_ADMIN_TOKEN";

    @Override
    public Integer call() throws InterruptedException {
        AppConfig config = AppConfig.from(ConfigLookup.env());
        CountDownLatch stopped = new CountDownLatch(1);
        ConfigLookup env = ConfigLookup.env();
        String host = env.string(HTTP_HOST, DEFAULT_HTTP_HOST);
        int port = ConfigLookup.requireRange(HTTP_PORT, env.integer(HTTP_PORT, DEFAULT_HTTP_PORT), 0, 65535);
        String token = env.raw(HTTP_ADMIN_TOKEN);
        if (token != null && token.length() < 16) {
            throw new dev.embedstream.contracts.ConfigException(HTTP_ADMIN_TOKEN, "must be at least 16 characters");
        }
        Pipeline pipeline = Pipeline.start(config);
        var http = dev.embedstream.app.internal.HttpEndpoints.start(pipeline, host, port, token);
        // The JVM halts once shutdown hooks return, so the hook itself closes the pipeline (finishing
        // the batches in hand and committing them) before it lets go.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            http.close();
            pipeline.close();
        }, "embedstream-stop"));
        System.err.println("embedstream running; Kafka at " + pipeline.kafka().bootstrapServers() + ", HTTP on " + host + ":"
                + http.port() + " (/metrics, /health/live, /health/ready, /status). Ctrl-C stops.");
        try {
            while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
                pipeline.requireHealthy();
            }
        } catch (RuntimeException e) {
            http.close();
            pipeline.close();
            throw e;
        }
        return 0;
    }
}
