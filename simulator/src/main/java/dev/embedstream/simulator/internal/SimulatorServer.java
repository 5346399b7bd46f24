package dev.embedstream.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.embedstream.simulator.Faults;
import dev.embedstream.simulator.SimulatorConfig;
import dev.embedstream.simulator.Stats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JDK HTTP server wired to the simulator's handlers, on 127.0.0.1 with a fixed pool. */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int STOP_WAIT_SECONDS = 5;

    private final HttpServer server;
    private final ExecutorService pool;
    private final FaultDice dice;
    private final StatsRecorder stats;

    private SimulatorServer(HttpServer server, ExecutorService pool, FaultDice dice, StatsRecorder stats) {
        this.server = server;
        this.pool = pool;
        this.dice = dice;
        this.stats = stats;
    }

    public static SimulatorServer start(SimulatorConfig config, Clock clock) {
        ObjectMapper mapper = new ObjectMapper();
        OpenAiJson json = new OpenAiJson(mapper);
        FaultDice dice = new FaultDice(config.seed(), config.faults());
        StatsRecorder stats = new StatsRecorder(clock);
        HttpServer server = bind(config.port());
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), daemonThreads());
        server.setExecutor(pool);
        server.createContext(EmbeddingsHandler.PATH, new EmbeddingsHandler(new Authenticator(config.apiKey()),
                new RequestParser(mapper, config.defaultDimensions()),
                new RateLimits(config.rpm(), config.tpm(), clock), dice, stats, json));
        server.createContext(AdminHandler.PREFIX, new AdminHandler(mapper, json, stats::snapshot, dice::faults,
                dice::set));
        server.createContext("/", new Routes(json));
        server.start();
        LOG.info("embeddings simulator listening on {}:{} with {}", LOOPBACK, server.getAddress().getPort(), config);
        return new SimulatorServer(server, pool, dice, stats);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return LOOPBACK;
    }

    public Faults faults() {
        return dice.faults();
    }

    public void setFaults(Faults faults) {
        dice.set(faults);
    }

    public Stats stats() {
        return stats.snapshot();
    }

    /** Stops at once: requests held by an injected timeout or latency are interrupted, not waited for. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("simulator threads still running {} s after close", STOP_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpServer bind(int port) {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + LOOPBACK + ":" + port, e);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "embedding-simulator-" + count.incrementAndGet());
            // A test that forgets close() must not keep its JVM alive.
            thread.setDaemon(true);
            return thread;
        };
    }
}
