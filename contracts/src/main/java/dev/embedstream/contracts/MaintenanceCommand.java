package dev.embedstream.contracts;

import java.util.Objects;

/**
 * A maintenance action the policy asks for, the value of the maintenance-commands topic (keyed like
 * {@link IndexEvent#key()}).
 *
 * @param action         what to run
 * @param reason         why, in words a person reads in the history
 * @param rows           rows of the table when the policy fired
 * @param m              HNSW m to build with (REBUILD), else the index's current m
 * @param efConstruction HNSW ef_construction to build with (REBUILD), else 0
 * @param issuedAt       epoch milliseconds
 */
public record MaintenanceCommand(String collection, int generation, String index, String table, Action action,
                                 String reason, long rows, int m, int efConstruction, long issuedAt) {

    /** Maintenance actions, each run without blocking writes. */
    public enum Action {
        /** {@code REINDEX INDEX CONCURRENTLY}. */
        REINDEX,
        /** {@code VACUUM (ANALYZE)} of the vector table (after a concurrent reindex on pgvector &lt; 0.8.4). */
        VACUUM,
        /** A new index with other HNSW parameters, built concurrently, swapped in, the old one dropped. */
        REBUILD
    }

    public MaintenanceCommand {
        CollectionName.requireValid(collection);
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(reason, "reason");
    }

    public String key() {
        return IndexEvent.keyOf(collection, generation);
    }
}
