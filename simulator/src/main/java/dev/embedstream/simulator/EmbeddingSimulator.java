package dev.embedstream.simulator;

import dev.embedstream.simulator.internal.MonotonicClock;
import dev.embedstream.simulator.internal.SimulatorServer;
import java.time.Clock;
import java.util.Objects;

/** A running OpenAI-compatible embeddings endpoint on 127.0.0.1, for tests and benchmarks. */
public final class EmbeddingSimulator implements AutoCloseable {

    private final SimulatorConfig config;
    private final SimulatorServer server;

    private EmbeddingSimulator(SimulatorConfig config, SimulatorServer server) {
        this.config = config;
        this.server = server;
    }

    /** Starts on a monotonic clock; returns once the port is bound and serving. */
    public static EmbeddingSimulator start(SimulatorConfig config) {
        return start(config, new MonotonicClock());
    }

    /** Starts with the given time source for the rate-limit buckets and stats, so tests can move time by hand. */
    public static EmbeddingSimulator start(SimulatorConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        return new EmbeddingSimulator(config, SimulatorServer.start(config, clock));
    }

    /** The base URL an OpenAI client takes, e.g. {@code http://127.0.0.1:8099/v1}. */
    public String baseUrl() {
        return "http://" + server.host() + ":" + port() + "/v1";
    }

    public int port() {
        return server.port();
    }

    public SimulatorConfig config() {
        return config;
    }

    public Faults faults() {
        return server.faults();
    }

    /** Replaces the active faults; the fault dice restart so the next requests see a repeatable sequence. */
    public void setFaults(Faults faults) {
        server.setFaults(Objects.requireNonNull(faults, "faults"));
    }

    public Stats stats() {
        return server.stats();
    }

    @Override
    public void close() {
        server.close();
    }
}
