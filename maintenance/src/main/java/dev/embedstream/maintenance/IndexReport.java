package dev.embedstream.maintenance;

import java.util.Objects;

/**
 * One index of a collection's vector table, as PostgreSQL sees it now.
 *
 * @param collection      the collection whose vector table holds the index
 * @param table           the vector table
 * @param index           the index name (in the embedstream schema)
 * @param method          the access method: {@code hnsw}, {@code btree}, …
 * @param valid           {@code pg_index.indisvalid}: queries may use it
 * @param ready           {@code pg_index.indisready}: writes maintain it (also while it is invalid)
 * @param buildInProgress a CREATE INDEX or REINDEX is running on the table right now, so an invalid
 *                        index may simply be one still being built
 * @param sizeBytes       {@code pg_relation_size} of the index
 * @param liveTuples      the table's {@code n_live_tup} (statistics, so an estimate that lags writes)
 * @param deadTuples      the table's {@code n_dead_tup}; dead tuples lower HNSW recall (pgvector#244)
 * @param m               HNSW {@code m} from the index options, pgvector's default 16 when the index
 *                        was built without it; null for an index that is not HNSW
 * @param efConstruction  HNSW {@code ef_construction}, default 64; null for an index that is not HNSW
 */
public record IndexReport(String collection, String table, String index, String method, boolean valid, boolean ready,
                          boolean buildInProgress, long sizeBytes, long liveTuples, long deadTuples, Integer m,
                          Integer efConstruction) {

    public IndexReport {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(method, "method");
    }

    public boolean isHnsw() {
        return "hnsw".equals(method);
    }

    /**
     * Left invalid by a failed or interrupted {@code CREATE INDEX CONCURRENTLY} or
     * {@code REINDEX CONCURRENTLY} (pgvector#925, #569), with no build running on its table now.
     */
    public boolean isInvalid() {
        return !valid && !buildInProgress;
    }
}
