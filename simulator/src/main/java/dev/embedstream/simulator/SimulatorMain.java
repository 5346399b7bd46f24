package dev.embedstream.simulator;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Runs the simulator until the process is stopped: {@code --port 8099 --rpm 3000 --tpm 1000000}. Flags override the
 * {@code EMBEDSTREAM_SIM_*} environment.
 */
public final class SimulatorMain {

    private static final Map<String, String> FLAGS = Map.of(
            "--rpm", SimulatorConfig.ENV_RPM,
            "--tpm", SimulatorConfig.ENV_TPM,
            "--api-key", SimulatorConfig.ENV_API_KEY,
            "--port", SimulatorConfig.ENV_PORT,
            "--threads", SimulatorConfig.ENV_THREADS,
            "--default-dimensions", SimulatorConfig.ENV_DEFAULT_DIMENSIONS,
            "--seed", SimulatorConfig.ENV_SEED,
            "--faults", SimulatorConfig.ENV_FAULTS);
    private static final int USAGE_ERROR = 2;

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SimulatorConfig config;
        try {
            config = config(args, System::getenv);
        } catch (IllegalArgumentException e) {
            System.err.println("embedstream-simulator: " + e.getMessage());
            System.err.println(usage());
            System.exit(USAGE_ERROR);
            return;
        }
        run(config);
    }

    /** The configuration that {@code args} over {@code env} describe. */
    static SimulatorConfig config(String[] args, Function<String, String> env) {
        Map<String, String> flags = parse(args);
        return SimulatorConfig.from(key -> flags.containsKey(key) ? flags.get(key) : env.apply(key));
    }

    static String usage() {
        return "usage: embedstream-simulator [--port N] [--rpm N] [--tpm N] [--api-key KEY] [--threads N] "
                + "[--default-dimensions N] [--seed N] [--faults JSON]";
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String envKey = FLAGS.get(args[i]);
            if (envKey == null) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            flags.put(envKey, args[i + 1]);
        }
        return flags;
    }

    private static void run(SimulatorConfig config) throws InterruptedException {
        EmbeddingSimulator simulator = EmbeddingSimulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "embedding-simulator-shutdown"));
        System.out.println(simulator.baseUrl());
        System.out.flush();
        stopped.await();
    }
}
