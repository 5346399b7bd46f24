package dev.embedstream.app.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app as the operator runs it: {@code embedstream run --workers ROLE} in a JVM of its own, one
 * per role, with its environment, its output kept in a log file per role for the tests to read.
 */
final class WorkerProcesses implements AutoCloseable {

    static final List<String> ROLES = List.of("embedder", "writer", "maintenance");
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP on [^ ]+:(\\d+) ");

    /** The environment every process gets; tests add and change entries before spawning. */
    final Map<String, String> env = new HashMap<>();
    private final Path logs;
    private final Map<String, Process> running = new ConcurrentHashMap<>();

    WorkerProcesses() throws IOException {
        logs = Files.createTempDirectory("embedstream-faults-");
        env.put("EMBEDSTREAM_HTTP_PORT", "0");
    }

    /** Starts {@code run --workers role}, replacing a process of that role that was killed. */
    void spawn(String role) throws IOException {
        running.put(role, start(logs.resolve(role + ".log"), Map.of(), "run", "--workers", role));
    }

    /** Starts all three roles and waits until each says it runs. */
    void spawnAllAndAwaitRunning() throws IOException {
        for (String role : ROLES) {
            spawn(role);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> allOutput().split("embedstream running", -1).length - 1 == 3);
    }

    /** SIGKILL: no shutdown hook, no commit, no goodbye. */
    void kill(String role) throws InterruptedException {
        Process p = running.remove(role);
        if (p != null) {
            p.destroyForcibly().waitFor();
        }
    }

    /** Runs a command to its end (at most two minutes); its exit code and output. */
    Exit runToExit(Map<String, String> extraEnv, String... args) throws Exception {
        Path log = Files.createTempFile(logs, "command-", ".log");
        Process p = start(log, extraEnv, args);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("embedstream " + String.join(" ", args) + " did not end in 2 minutes: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Exit(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** A command's exit code and everything it printed. */
    record Exit(int code, String output) {
    }

    /** Fails when a worker process ended by itself: that is a crash, not a fault the test injected. */
    void requireAlive() {
        running.forEach((role, p) -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("the " + role + " process exited by itself (exit " + p.exitValue()
                        + "; its log is " + logs.resolve(role + ".log") + ")");
            }
        });
    }

    /** The HTTP port the newest process of {@code role} announced. */
    int httpPort(String role) throws IOException {
        Matcher m = HTTP_PORT.matcher(Files.readString(logs.resolve(role + ".log"), StandardCharsets.UTF_8));
        int port = -1;
        while (m.find()) {
            port = Integer.parseInt(m.group(1));
        }
        assertThat(port).as("HTTP port announced by the %s process", role).isPositive();
        return port;
    }

    /** Every line every process has printed so far. */
    String allOutput() throws IOException {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path p : files.sorted().toList()) {
                b.append(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    Path logs() {
        return logs;
    }

    @Override
    public void close() {
        running.values().forEach(Process::destroyForcibly);
        running.clear();
    }

    private Process start(Path log, Map<String, String> extraEnv, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "dev.embedstream.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }
}
