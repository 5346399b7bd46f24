package dev.embedstream.simulator;

import dev.embedstream.simulator.internal.FaultsJson;
import java.util.Objects;
import java.util.function.Function;

/**
 * How an {@link EmbeddingSimulator} is started; every bad value is refused with the field's name.
 *
 * @param rpm               requests per minute each API key may make (bucket capacity; refills rpm/60 per second)
 * @param tpm               tokens per minute each API key may spend (bucket capacity; refills tpm/60 per second)
 * @param apiKey            the only accepted bearer key; null accepts any or none, with one budget per key presented
 * @param port              port on 127.0.0.1; 0 picks a free one
 * @param threads           size of the fixed pool that answers requests
 * @param defaultDimensions vector width for model names other than OpenAI's embedding models
 * @param seed              makes fault injection repeatable
 * @param faults            faults active from the start
 */
public record SimulatorConfig(int rpm, int tpm, String apiKey, int port, int threads, int defaultDimensions,
                              long seed, Faults faults) {

    public static final String ENV_RPM = "EMBEDSTREAM_SIM_RPM";
    public static final String ENV_TPM = "EMBEDSTREAM_SIM_TPM";
    public static final String ENV_API_KEY = "EMBEDSTREAM_SIM_API_KEY";
    public static final String ENV_PORT = "EMBEDSTREAM_SIM_PORT";
    public static final String ENV_THREADS = "EMBEDSTREAM_SIM_THREADS";
    public static final String ENV_DEFAULT_DIMENSIONS = "EMBEDSTREAM_SIM_DEFAULT_DIMENSIONS";
    public static final String ENV_SEED = "EMBEDSTREAM_SIM_SEED";
    /** The same JSON object {@code POST /admin/faults} takes. */
    public static final String ENV_FAULTS = "EMBEDSTREAM_SIM_FAULTS";

    /** OpenAI's usage tier 1 limits for text-embedding-3-small. */
    public static final int DEFAULT_RPM = 3_000;
    public static final int DEFAULT_TPM = 1_000_000;
    public static final String DEFAULT_API_KEY = null;
    public static final int DEFAULT_PORT = 0;
    public static final int DEFAULT_THREADS = 8;
    /** The width of all-MiniLM-L6-v2, the pipeline's local model. */
    public static final int DEFAULT_DIMENSIONS = 384;
    public static final long DEFAULT_SEED = 42;

    /** The buckets keep limit × nanoseconds-per-minute in a long; this keeps that exact. */
    public static final int MAX_LIMIT = 100_000_000;
    public static final int MAX_THREADS = 256;
    public static final int MAX_DIMENSIONS = 65_536;

    public SimulatorConfig {
        requireRange("rpm", rpm, 1, MAX_LIMIT);
        requireRange("tpm", tpm, 1, MAX_LIMIT);
        if (apiKey != null && (apiKey.isBlank() || !apiKey.strip().equals(apiKey) || apiKey.contains(" "))) {
            throw new IllegalArgumentException("apiKey must be null or a non-blank value without spaces");
        }
        requireRange("port", port, 0, 65_535);
        requireRange("threads", threads, 1, MAX_THREADS);
        requireRange("defaultDimensions", defaultDimensions, 1, MAX_DIMENSIONS);
        if (faults == null) {
            throw new IllegalArgumentException("faults must not be null (use Faults.NONE)");
        }
    }

    public static SimulatorConfig defaults() {
        return new SimulatorConfig(DEFAULT_RPM, DEFAULT_TPM, DEFAULT_API_KEY, DEFAULT_PORT, DEFAULT_THREADS,
                DEFAULT_DIMENSIONS, DEFAULT_SEED, Faults.NONE);
    }

    /** Reads the {@code EMBEDSTREAM_SIM_*} keys (the environment in production, a map in tests); blank is absent. */
    public static SimulatorConfig from(Function<String, String> env) {
        Objects.requireNonNull(env, "env");
        String faults = value(env, ENV_FAULTS);
        return new SimulatorConfig(
                integer(env, ENV_RPM, DEFAULT_RPM),
                integer(env, ENV_TPM, DEFAULT_TPM),
                value(env, ENV_API_KEY),
                integer(env, ENV_PORT, DEFAULT_PORT),
                integer(env, ENV_THREADS, DEFAULT_THREADS),
                integer(env, ENV_DEFAULT_DIMENSIONS, DEFAULT_DIMENSIONS),
                seed(env),
                faults == null ? Faults.NONE : parseFaults(faults));
    }

    public SimulatorConfig withRpm(int value) {
        return new SimulatorConfig(value, tpm, apiKey, port, threads, defaultDimensions, seed, faults);
    }

    public SimulatorConfig withTpm(int value) {
        return new SimulatorConfig(rpm, value, apiKey, port, threads, defaultDimensions, seed, faults);
    }

    public SimulatorConfig withApiKey(String value) {
        return new SimulatorConfig(rpm, tpm, value, port, threads, defaultDimensions, seed, faults);
    }

    public SimulatorConfig withPort(int value) {
        return new SimulatorConfig(rpm, tpm, apiKey, value, threads, defaultDimensions, seed, faults);
    }

    public SimulatorConfig withThreads(int value) {
        return new SimulatorConfig(rpm, tpm, apiKey, port, value, defaultDimensions, seed, faults);
    }

    public SimulatorConfig withDefaultDimensions(int value) {
        return new SimulatorConfig(rpm, tpm, apiKey, port, threads, value, seed, faults);
    }

    public SimulatorConfig withSeed(long value) {
        return new SimulatorConfig(rpm, tpm, apiKey, port, threads, defaultDimensions, value, faults);
    }

    public SimulatorConfig withFaults(Faults value) {
        return new SimulatorConfig(rpm, tpm, apiKey, port, threads, defaultDimensions, seed, value);
    }

    /** Never prints the key itself: configs end up in logs. */
    @Override
    public String toString() {
        return "SimulatorConfig[rpm=" + rpm + ", tpm=" + tpm + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", port=" + port + ", threads=" + threads + ", defaultDimensions=" + defaultDimensions
                + ", seed=" + seed + ", faults=" + faults + "]";
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ": " + value);
        }
    }

    private static String value(Function<String, String> env, String key) {
        String value = env.apply(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static int integer(Function<String, String> env, String key, int defaultValue) {
        String value = value(env, key);
        try {
            return value == null ? defaultValue : Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number", e);
        }
    }

    private static long seed(Function<String, String> env) {
        String value = value(env, ENV_SEED);
        try {
            return value == null ? DEFAULT_SEED : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_SEED + ": '" + value + "' is not a whole number", e);
        }
    }

    private static Faults parseFaults(String json) {
        try {
            return FaultsJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV_FAULTS + ": " + e.getMessage(), e);
        }
    }
}
