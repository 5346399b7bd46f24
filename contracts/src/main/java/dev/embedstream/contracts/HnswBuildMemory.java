package dev.embedstream.contracts;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Optional;

/**
 * How much {@code maintenance_work_mem} an HNSW build needs so that pgvector keeps the whole graph
 * in memory, and whether a finished build said it did not.
 *
 * <p>Past its memory pgvector goes on inserting into the index on disk, "significantly" slower (a
 * 30,000-row 384-d build took 29.9 s at 64 MB against 17.8 s with room). The bytes per row were
 * measured on pgvector 0.8.0 from the tuple count in its notice: 2,316 at 384 dimensions and
 * m = 16, 2,066 at m = 8, 6,941 at 1,536 dimensions; that is 4 bytes a dimension, 32 a unit of m
 * (the 2m neighbours of layer 0, 16 bytes each) and 268-285 for the element and its allocation.
 */
public final class HnswBuildMemory {

    /** PostgreSQL's own default; less never helps a build. */
    public static final long FLOOR_MB = 64;
    static final long BYTES_PER_ROW_BEYOND_VECTOR_AND_NEIGHBOURS = 320;
    /** Room for the upper layers' share and for allocator rounding the measurement did not see. */
    static final double SLACK = 1.2;
    private static final String NO_LONGER_FITS = "no longer fits into maintenance_work_mem";

    private HnswBuildMemory() {
    }

    /** Bytes the in-memory graph of {@code rows} vectors needs, slack included. */
    public static long bytes(long rows, int dimensions, int m) {
        if (rows < 0 || dimensions < 1 || m < 2) {
            throw new IllegalArgumentException("rows " + rows + ", dimensions " + dimensions + ", m " + m);
        }
        long perRow = 4L * dimensions + 32L * m + BYTES_PER_ROW_BEYOND_VECTOR_AND_NEIGHBOURS;
        return (long) Math.ceil(rows * perRow * SLACK);
    }

    /** {@link #bytes} in whole megabytes, at least {@value #FLOOR_MB}. */
    public static long megabytes(long rows, int dimensions, int m) {
        return Math.max(FLOOR_MB, (bytes(rows, dimensions, m) + (1 << 20) - 1) >> 20);
    }

    /**
     * pgvector's notice that the graph outgrew the memory part-way, from the warnings of the
     * statement that ran the build; empty when it fitted.
     */
    public static Optional<String> outgrown(Statement build) throws SQLException {
        for (SQLWarning w = build.getWarnings(); w != null; w = w.getNextWarning()) {
            if (w.getMessage() != null && w.getMessage().contains(NO_LONGER_FITS)) {
                return Optional.of(w.getMessage());
            }
        }
        return Optional.empty();
    }
}
