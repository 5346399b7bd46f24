package dev.embedstream.app.cli;

import dev.embedstream.app.AppConfig;
import dev.embedstream.app.Pipeline;
import dev.embedstream.contracts.ConfigLookup;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** {@code embedstream run}: the embedder and the writer in one process until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the workers (ingest: the HTTP publish API and any Debezium source; embedder, writer, index maintenance) until Ctrl-C, all of them or those"
                + " named by --workers; each process serves its own HTTP endpoints. Without"
                + " EMBEDSTREAM_KAFKA_BOOTSTRAP_SERVERS a local single-node broker is started.")
public final class RunCommand implements Callable<Integer> {

    /** The workers to run when --workers is not given (default: all). */
    public static final String WORKERS = "EMBEDSTREAM_WORKERS";

    @picocli.CommandLine.Option(names = "--workers", split = ",", paramLabel = "WORKER",
            description = "which workers this process runs: ingest, embedder, writer, maintenance (default: "
                    + "EMBEDSTREAM_WORKERS, else all)")
    java.util.List<String> workers;

    public static final String HTTP_HOST = "EMBEDSTREAM_HTTP_HOST";
    public static final String HTTP_PORT = "EMBEDSTREAM_HTTP_PORT";
    /** Localhost only by default: the endpoints carry no authentication. */
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Enables the mutating endpoints (off when unset); at least 16 characters. */
    public static final String HTTP_ADMIN_TOKEN = "EMBEDSTREAM_HTTP_ADMIN_TOKEN";

    private java.util.Set<Pipeline.Worker> workers(ConfigLookup env) {
        java.util.List<String> names = workers;
        String key = "--workers";
        if (names == null || names.isEmpty()) {
            String raw = env.raw(WORKERS);
            if (raw == null) {
                return java.util.EnumSet.allOf(Pipeline.Worker.class);
            }
            names = java.util.Arrays.asList(raw.split(","));
            key = WORKERS;
        }
        java.util.Set<Pipeline.Worker> set = java.util.EnumSet.noneOf(Pipeline.Worker.class);
        for (String name : names) {
            try {
                set.add(Pipeline.Worker.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new dev.embedstream.contracts.ConfigException(key, "'" + name.trim()
                        + "' is not a worker; use ingest, embedder, writer or maintenance");
            }
        }
        return set;
    }

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
        var chosen = workers(env);
        if (!chosen.containsAll(Pipeline.PROCESSING) && config.kafka().isEmpty()) {
            throw new dev.embedstream.contracts.ConfigException(dev.embedstream.contracts.KafkaSettings.BOOTSTRAP_SERVERS,
                    "is required to run only some workers (the others run elsewhere, on the same cluster)");
        }
        if (chosen.contains(Pipeline.Worker.INGEST)) {
            dev.embedstream.ingest.HttpIngestConfig.from(env).requireTokenIfExposed(host, HTTP_HOST);
        }
        Pipeline pipeline = Pipeline.start(config, chosen);
        var http = dev.embedstream.app.internal.HttpEndpoints.start(pipeline, host, port, token);
        // The JVM halts once shutdown hooks return, so the hook itself closes the pipeline (finishing
        // the batches in hand and committing them) before it lets go.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            http.close();
            pipeline.close();
        }, "embedstream-stop"));
        System.err.println("embedstream running " + pipeline.workers() + "; Kafka at " + pipeline.kafka().bootstrapServers() + ", HTTP on " + host + ":"
                + http.port() + " (/metrics, /health/live, /health/ready, /status"
                + (pipeline.httpIngest().isPresent() ? ", " + dev.embedstream.ingest.HttpIngest.PATH : "") + "). Ctrl-C stops.");
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
