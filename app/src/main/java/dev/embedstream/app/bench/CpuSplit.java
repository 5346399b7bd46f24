package dev.embedstream.app.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds spent between two points, by who spent them: this JVM's threads grouped by role, the
 * rest of the JVM (garbage collection, the JIT), and PostgreSQL's processes when /proc shows them.
 * Where a bench's time goes when every core is busy and a sampling profiler sees only Java frames.
 */
final class CpuSplit {

    /** USER_HZ, the unit of /proc/<pid>/stat's times: 100 on every Linux architecture the bench runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Map<Long, Long> threadStart = new HashMap<>();
    private final long processStart;
    private final long compileStartMs = compileMs();
    private final long gcStartMs = gcMs();
    private final long postgresStart;

    private CpuSplit() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (var info : threads.dumpAllThreads(false, false)) {
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                threadStart.put(info.getThreadId(), cpu);
            }
        }
        processStart = processCpu();
        postgresStart = postgresTicks();
    }

    static CpuSplit start() {
        return new CpuSplit();
    }

    /**
     * "CPU: JVM 3.9 s (writer 0.9, broker 0.6, …, GC, JIT and other 1.6; …), PostgreSQL 1.1 s" since
     * start. A thread that ended in between counts under "other": only live threads can be asked.
     */
    String since() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Double> byRole = new LinkedHashMap<>();
        double javaThreads = 0;
        for (var info : threads.dumpAllThreads(false, false)) {
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) {
                continue;
            }
            double seconds = (cpu - threadStart.getOrDefault(info.getThreadId(), 0L)) / 1e9;
            javaThreads += seconds;
            byRole.merge(role(info.getThreadName()), seconds, Double::sum);
        }
        double process = jvmSeconds();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "CPU: JVM %.1f s (", process));
        byRole.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s %.1f, ", e.getKey(), e.getValue())));
        out.append(String.format(Locale.ROOT, "GC, JIT and other %.1f; compilers busy %.1f s, GC pauses %.1f s)",
                Math.max(0, process - javaThreads), (compileMs() - compileStartMs) / 1e3, (gcMs() - gcStartMs) / 1e3));
        long pg = postgresTicks();
        if (pg >= 0 && postgresStart >= 0) {
            out.append(String.format(Locale.ROOT, ", PostgreSQL %.1f s", (pg - postgresStart) / (double) CLOCK_TICKS_PER_SECOND));
        }
        return out.toString();
    }

    /** CPU seconds this JVM spent since start, all its threads together. */
    double jvmSeconds() {
        return (processCpu() - processStart) / 1e9;
    }

    private static String role(String thread) {
        if (thread.startsWith("embedstream-onnx-")) {
            return "model";
        }
        if (thread.startsWith("embedstream-embedder")) {
            return "embedder";
        }
        if (thread.startsWith("embedstream-writer")) {
            return "writer";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "producers' I/O";
        }
        if (thread.contains("kafka") || thread.startsWith("data-plane") || thread.startsWith("group-coordinator")
                || thread.startsWith("quorum") || thread.startsWith("broker") || thread.startsWith("controller")) {
            return "broker";
        }
        if (thread.equals("main")) {
            return "backfill (main)";
        }
        return "other threads";
    }

    private static long compileMs() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static long gcMs() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    private static long processCpu() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /**
     * utime + stime of every process named postgres, with the children each has reaped (cutime +
     * cstime), in clock ticks; -1 where /proc cannot tell. A backend that ends between two readings
     * moves its CPU into the postmaster's cutime instead of taking it out of the sum.
     */
    private static long postgresTicks() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .mapToLong(CpuSplit::postgresTicksOf).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long postgresTicksOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (!stat.substring(stat.indexOf('(') + 1, close).startsWith("postgres")) {
                return 0;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
