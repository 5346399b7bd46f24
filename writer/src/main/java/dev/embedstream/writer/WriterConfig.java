package dev.embedstream.writer;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.HnswBuildMemory;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.contracts.InvalidInputException;
import java.time.Duration;

/**
 * Configuration of the writer worker.
 *
 * @param jdbcUrl           PostgreSQL with pgvector
 * @param user              database user
 * @param password          database password; never logged
 * @param schema            schema that holds the catalog and the collection tables
 * @param poolSize          connections in the pool
 * @param batchRecords      most records upserted in one transaction
 * @param hnswM             HNSW {@code m} of new indexes
 * @param hnswEfConstruction HNSW {@code ef_construction} of new indexes
 * @param groupId           Kafka consumer group
 * @param retryBackoffMax   longest wait between retries of a failed batch
 * @param threads           consumers of this worker, each writing its own partitions' batches on its
 *                          own connection: one PostgreSQL backend inserts into an HNSW index on one core
 * @param maxWorkMemMb      upper bound of {@code maintenance_work_mem} for the HNSW build after a bulk
 *                          load (a new table collection's backfill, a re-embed), in MB
 */
public record WriterConfig(
        String jdbcUrl,
        String user,
        String password,
        String schema,
        int poolSize,
        int batchRecords,
        int hnswM,
        int hnswEfConstruction,
        String groupId,
        Duration retryBackoffMax,
        int threads,
        int maxWorkMemMb) {

    public static final String JDBC_URL = "EMBEDSTREAM_DB_URL";
    public static final String USER = "EMBEDSTREAM_DB_USER";
    public static final String PASSWORD = "EMBEDSTREAM_DB_PASSWORD";
    public static final String SCHEMA = "EMBEDSTREAM_DB_SCHEMA";
    public static final String POOL_SIZE = "EMBEDSTREAM_DB_POOL_SIZE";
    public static final String BATCH_RECORDS = "EMBEDSTREAM_WRITER_BATCH_RECORDS";
    public static final String HNSW_M = "EMBEDSTREAM_HNSW_M";
    public static final String HNSW_EF_CONSTRUCTION = "EMBEDSTREAM_HNSW_EF_CONSTRUCTION";
    public static final String GROUP_ID = "EMBEDSTREAM_WRITER_GROUP_ID";
    public static final String RETRY_BACKOFF_MAX = "EMBEDSTREAM_WRITER_RETRY_BACKOFF_MAX";
    public static final String THREADS = "EMBEDSTREAM_WRITER_THREADS";
    public static final String MAX_WORK_MEM_MB = "EMBEDSTREAM_WRITER_MAX_WORK_MEM_MB";

    public static final String DEFAULT_JDBC_URL = "jdbc:postgresql://127.0.0.1:54329/embedstream";
    public static final String DEFAULT_USER = "embedstream";
    /** The local development cluster's password (scripts/pg.sh); set a real one anywhere else. */
    public static final String DEFAULT_PASSWORD = "embedstream";
    public static final String DEFAULT_SCHEMA = "embedstream";
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final int DEFAULT_BATCH_RECORDS = 500;
    public static final int DEFAULT_HNSW_M = 16;
    public static final int DEFAULT_HNSW_EF_CONSTRUCTION = 64;
    public static final String DEFAULT_GROUP_ID = "embedstream-writer";
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(30);
    /** Two: HNSW inserts of one batch keep one database core busy; more pay only on a bigger server. */
    public static final int DEFAULT_THREADS = 2;
    /** Enough for ~370,000 384-d vectors at m = 16 (HnswBuildMemory); a bigger graph builds partly on disk. */
    public static final int DEFAULT_MAX_WORK_MEM_MB = 1024;

    public WriterConfig {
        ConfigLookup.requireNonBlank(JDBC_URL, jdbcUrl);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(JDBC_URL, "must be a jdbc:postgresql: URL");
        }
        ConfigLookup.requireNonBlank(USER, user);
        password = password == null ? "" : password;
        try {
            SqlIdentifiers.quote(schema);
        } catch (InvalidInputException e) {
            throw new ConfigException(SCHEMA, e.getMessage());
        }
        ConfigLookup.requireRange(POOL_SIZE, poolSize, 1, 200);
        ConfigLookup.requireRange(BATCH_RECORDS, batchRecords, 1, 50_000);
        ConfigLookup.requireRange(HNSW_M, hnswM, 2, 100);
        ConfigLookup.requireRange(HNSW_EF_CONSTRUCTION, hnswEfConstruction, 4, 1000);
        if (hnswEfConstruction < 2 * hnswM) {
            throw new ConfigException(HNSW_EF_CONSTRUCTION, "must be at least 2 x " + HNSW_M + " (" + 2 * hnswM + ")");
        }
        ConfigLookup.requireNonBlank(GROUP_ID, groupId);
        ConfigLookup.requirePositive(RETRY_BACKOFF_MAX, retryBackoffMax);
        ConfigLookup.requireRange(THREADS, threads, 1, 64);
        ConfigLookup.requireRange(MAX_WORK_MEM_MB, maxWorkMemMb, (int) HnswBuildMemory.FLOOR_MB, 1_048_576);
        if (threads > maxThreads(poolSize)) {
            throw new ConfigException(THREADS, "is " + threads + " but " + POOL_SIZE + " is " + poolSize
                    + ": each thread holds a connection while it writes, and the pool also serves searches,"
                    + " coverage and maintenance, so at most " + maxThreads(poolSize) + " here");
        }
    }

    /** One connection of the pool stays free for the pool's other users (a pool of one has only one). */
    static int maxThreads(int poolSize) {
        return Math.max(1, poolSize - 1);
    }

    public static WriterConfig from(ConfigLookup c) {
        int poolSize = c.integer(POOL_SIZE, DEFAULT_POOL_SIZE);
        return new WriterConfig(
                c.string(JDBC_URL, DEFAULT_JDBC_URL),
                c.string(USER, DEFAULT_USER),
                c.string(PASSWORD, DEFAULT_PASSWORD),
                c.string(SCHEMA, DEFAULT_SCHEMA),
                poolSize,
                c.integer(BATCH_RECORDS, DEFAULT_BATCH_RECORDS),
                c.integer(HNSW_M, DEFAULT_HNSW_M),
                c.integer(HNSW_EF_CONSTRUCTION, DEFAULT_HNSW_EF_CONSTRUCTION),
                c.string(GROUP_ID, DEFAULT_GROUP_ID),
                c.duration(RETRY_BACKOFF_MAX, DEFAULT_RETRY_BACKOFF_MAX),
                c.integer(THREADS, Math.min(DEFAULT_THREADS, maxThreads(poolSize))),
                c.integer(MAX_WORK_MEM_MB, DEFAULT_MAX_WORK_MEM_MB));
    }

    public WriterConfig withGroupId(String newGroupId) {
        return new WriterConfig(jdbcUrl, user, password, schema, poolSize, batchRecords, hnswM,
                hnswEfConstruction, newGroupId, retryBackoffMax, threads, maxWorkMemMb);
    }

    public WriterConfig withSchema(String newSchema) {
        return new WriterConfig(jdbcUrl, user, password, newSchema, poolSize, batchRecords, hnswM,
                hnswEfConstruction, groupId, retryBackoffMax, threads, maxWorkMemMb);
    }

    @Override
    public String toString() {
        return "WriterConfig[jdbcUrl=" + dev.embedstream.contracts.Texts.redactUrl(jdbcUrl) + ", user=" + user + ", password=****, schema=" + schema
                + ", poolSize=" + poolSize + ", batchRecords=" + batchRecords + ", hnswM=" + hnswM
                + ", hnswEfConstruction=" + hnswEfConstruction + ", groupId=" + groupId + ", threads=" + threads + ", maxWorkMemMb=" + maxWorkMemMb + "]";
    }
}
