package dev.embedstream.contracts;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The installed pgvector version and what it means for index work: 0.6.0-0.8.1 overflow a buffer
 * in parallel HNSW builds (fixed in 0.8.2), and before 0.8.4 vacuuming an HNSW index beside
 * inserts can corrupt it, so such versions reindex before they vacuum.
 */
public record PgvectorVersion(int major, int minor, int patch) implements Comparable<PgvectorVersion> {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");
    private static final PgvectorVersion PARALLEL_BUILD_FIXED = new PgvectorVersion(0, 8, 2);
    private static final PgvectorVersion VACUUM_RACE_FIXED = new PgvectorVersion(0, 8, 4);
    private static final PgvectorVersion ITERATIVE_SCAN = new PgvectorVersion(0, 8, 0);

    public static PgvectorVersion parse(String extversion) {
        Matcher m = FORMAT.matcher(extversion == null ? "" : extversion.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("unrecognised pgvector version " + Texts.quoteForMessage(extversion));
        }
        return new PgvectorVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** Whether HNSW indexes may be built with parallel workers (CVE-2026-3172 fixed). */
    public boolean parallelHnswBuildSafe() {
        return compareTo(PARALLEL_BUILD_FIXED) >= 0;
    }

    /** Whether VACUUM of an HNSW index may run beside inserts without reindexing first. */
    public boolean hnswVacuumSafeBesideInserts() {
        return compareTo(VACUUM_RACE_FIXED) >= 0;
    }

    /** Whether {@code hnsw.iterative_scan} exists, so filtered searches return enough rows. */
    public boolean hasIterativeScan() {
        return compareTo(ITERATIVE_SCAN) >= 0;
    }

    @Override
    public int compareTo(PgvectorVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
