package dev.embedstream.maintenance.internal;

import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.maintenance.IndexReport;
import java.util.ArrayList;
import java.util.List;

/** The warnings of a health report, in plain words an operator can act on. */
public final class HealthWarnings {

    private HealthWarnings() {
    }

    /** What the installed pgvector version means for searches and index maintenance. */
    public static List<String> forVersion(PgvectorVersion v) {
        List<String> warnings = new ArrayList<>();
        if (!v.hasIterativeScan()) {
            warnings.add("pgvector " + v + " < 0.8.0: no hnsw.iterative_scan, so a filtered search can return"
                    + " fewer rows than asked for (pgvector#259)");
        }
        if (!v.parallelHnswBuildSafe()) {
            warnings.add("pgvector " + v + " < 0.8.2: HNSW indexes are built without parallel workers"
                    + " (CVE-2026-3172)");
        }
        if (!v.hnswVacuumSafeBesideInserts()) {
            warnings.add("pgvector " + v + " < 0.8.4: vacuuming an HNSW index beside inserts can corrupt it,"
                    + " so HNSW tables are reindexed before vacuum (pgvector#993)");
        }
        return warnings;
    }

    public static String invalid(IndexReport r) {
        return "index '" + r.index() + "' on " + r.table() + " (collection '" + r.collection() + "') is invalid:"
                + " a CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY on it failed or was interrupted"
                + " (pgvector#925, #569); queries ignore it"
                + (r.ready() ? " but every write still updates it" : "")
                + "; drop it (IndexHealth.dropInvalid) and build it again";
    }

    public static String missingTable(String collection, String table) {
        return "collection '" + collection + "': its vector table " + table + " does not exist";
    }

    public static String missingIndex(String collection, String table, String index) {
        return "collection '" + collection + "': its HNSW index '" + index + "' does not exist on " + table
                + ", so searches scan the whole table; build it again";
    }

    public static String noCatalog(String schema) {
        return "schema '" + schema + "' has no collections catalog yet: no index to check";
    }
}
