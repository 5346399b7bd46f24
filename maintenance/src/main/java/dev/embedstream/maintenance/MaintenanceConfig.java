package dev.embedstream.maintenance;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.HnswBuildMemory;
import java.time.Duration;

/**
 * Settings of the maintenance worker: when the policy fires, and how the executor builds.
 *
 * @param growthPercent      reindex when rows grew by this much since the last build (100 = doubled)
 * @param churnPercent       reindex when rows updated or deleted since the last build pass this share of
 *                           the rows at that build
 * @param deadTuplePercent   vacuum when dead tuples pass this share of the rows ...
 * @param minDeadTuples      ... and at least this many
 * @param minRows            no reindex or rebuild of an index with fewer rows (its build takes no time,
 *                           and quality of a small graph does not suffer)
 * @param tiers              rebuild with the next HNSW preset when the row count crosses a size tier
 * @param cooldown           the same action on the same index runs at most once per cooldown
 * @param statsInterval      how often table statistics (rows, dead tuples) are sampled
 * @param maxWorkMemMb       upper bound of {@code maintenance_work_mem} for a build, in MB
 * @param parallelWorkers    {@code max_parallel_maintenance_workers} for a build (0 on pgvector &lt; 0.8.2)
 * @param enabled            whether `run` starts the worker
 */
public record MaintenanceConfig(int growthPercent, int churnPercent, int deadTuplePercent, long minDeadTuples,
                                long minRows, boolean tiers, Duration cooldown, Duration statsInterval,
                                int maxWorkMemMb, int parallelWorkers, boolean enabled) {

    public static final String GROWTH_PERCENT = "EMBEDSTREAM_MAINTENANCE_GROWTH_PERCENT";
    public static final String CHURN_PERCENT = "EMBEDSTREAM_MAINTENANCE_CHURN_PERCENT";
    public static final String DEAD_TUPLE_PERCENT = "EMBEDSTREAM_MAINTENANCE_DEAD_TUPLE_PERCENT";
    public static final String MIN_DEAD_TUPLES = "EMBEDSTREAM_MAINTENANCE_MIN_DEAD_TUPLES";
    public static final String MIN_ROWS = "EMBEDSTREAM_MAINTENANCE_MIN_ROWS";
    public static final String TIERS = "EMBEDSTREAM_MAINTENANCE_TIERS";
    public static final String COOLDOWN = "EMBEDSTREAM_MAINTENANCE_COOLDOWN";
    public static final String STATS_INTERVAL = "EMBEDSTREAM_MAINTENANCE_STATS_INTERVAL";
    public static final String MAX_WORK_MEM_MB = "EMBEDSTREAM_MAINTENANCE_MAX_WORK_MEM_MB";
    public static final String PARALLEL_WORKERS = "EMBEDSTREAM_MAINTENANCE_PARALLEL_WORKERS";
    public static final String ENABLED = "EMBEDSTREAM_MAINTENANCE_ENABLED";

    /** The seeds' "after the dataset doubles". */
    public static final int DEFAULT_GROWTH_PERCENT = 100;
    /** The seeds' "&gt;20% updates/deletes". */
    public static final int DEFAULT_CHURN_PERCENT = 20;
    public static final int DEFAULT_DEAD_TUPLE_PERCENT = 10;
    public static final long DEFAULT_MIN_DEAD_TUPLES = 1_000;
    public static final long DEFAULT_MIN_ROWS = 10_000;
    public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_WORK_MEM_MB = 1024;
    public static final int DEFAULT_PARALLEL_WORKERS = 2;

    public MaintenanceConfig {
        ConfigLookup.requireRange(GROWTH_PERCENT, growthPercent, 1, 10_000);
        ConfigLookup.requireRange(CHURN_PERCENT, churnPercent, 1, 100);
        ConfigLookup.requireRange(DEAD_TUPLE_PERCENT, deadTuplePercent, 1, 100);
        if (minDeadTuples < 0) {
            throw new ConfigException(MIN_DEAD_TUPLES, "must not be negative, got " + minDeadTuples);
        }
        if (minRows < 0) {
            throw new ConfigException(MIN_ROWS, "must not be negative, got " + minRows);
        }
        ConfigLookup.requirePositive(COOLDOWN, cooldown);
        ConfigLookup.requirePositive(STATS_INTERVAL, statsInterval);
        ConfigLookup.requireRange(MAX_WORK_MEM_MB, maxWorkMemMb, (int) HnswBuildMemory.FLOOR_MB, 1_048_576);
        ConfigLookup.requireRange(PARALLEL_WORKERS, parallelWorkers, 0, 64);
    }

    public static MaintenanceConfig defaults() {
        return from(ConfigLookup.of(java.util.Map.of()));
    }

    public static MaintenanceConfig from(ConfigLookup config) {
        return new MaintenanceConfig(
                config.integer(GROWTH_PERCENT, DEFAULT_GROWTH_PERCENT),
                config.integer(CHURN_PERCENT, DEFAULT_CHURN_PERCENT),
                config.integer(DEAD_TUPLE_PERCENT, DEFAULT_DEAD_TUPLE_PERCENT),
                config.integer(MIN_DEAD_TUPLES, (int) DEFAULT_MIN_DEAD_TUPLES),
                config.integer(MIN_ROWS, (int) DEFAULT_MIN_ROWS),
                config.bool(TIERS, true),
                config.duration(COOLDOWN, DEFAULT_COOLDOWN),
                config.duration(STATS_INTERVAL, DEFAULT_STATS_INTERVAL),
                config.integer(MAX_WORK_MEM_MB, DEFAULT_MAX_WORK_MEM_MB),
                config.integer(PARALLEL_WORKERS, DEFAULT_PARALLEL_WORKERS),
                config.bool(ENABLED, true));
    }

    public MaintenanceConfig withMinRows(long rows) {
        return new MaintenanceConfig(growthPercent, churnPercent, deadTuplePercent, minDeadTuples, rows, tiers, cooldown,
                statsInterval, maxWorkMemMb, parallelWorkers, enabled);
    }

    public MaintenanceConfig withStatsInterval(Duration interval) {
        return new MaintenanceConfig(growthPercent, churnPercent, deadTuplePercent, minDeadTuples, minRows, tiers, cooldown,
                interval, maxWorkMemMb, parallelWorkers, enabled);
    }
}
