package dev.embedstream.maintenance;

import java.util.List;

/**
 * HNSW build parameters by table size, the seeds' presets: m 8/16/32/48 for fewer than 100K rows,
 * 100K–1M, over 1M and over 10M, with {@code ef_construction} at least twice m.
 */
public record HnswPreset(long fromRows, int m, int efConstruction) {

    public static final List<HnswPreset> TIERS = List.of(
            new HnswPreset(0, 8, 32),
            new HnswPreset(100_000, 16, 64),
            new HnswPreset(1_000_000, 32, 128),
            new HnswPreset(10_000_000, 48, 200));

    /** The preset for a table of this many rows. */
    public static HnswPreset forRows(long rows) {
        HnswPreset chosen = TIERS.get(0);
        for (HnswPreset p : TIERS) {
            if (rows >= p.fromRows()) {
                chosen = p;
            }
        }
        return chosen;
    }
}
