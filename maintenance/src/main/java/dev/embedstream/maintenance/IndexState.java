package dev.embedstream.maintenance;

/**
 * What maintenance knows of one index: rows at its last build, rows now, churn since, dead tuples,
 * and the action asked for and not yet done. The topology's state per index.
 *
 * @param baselineRows rows at the last build, or -1 until a table sample says
 * @param rows         rows now: the last sample plus the writes counted since
 * @param churn        rows updated or deleted since the last build
 * @param pending      the action asked for and not yet reported done, or null
 * @param pendingSince epoch milliseconds when it was asked for
 */
public record IndexState(String collection, int generation, String index, String table, long baselineRows, long rows,
                         long churn, long deadTuples, int m, String pending, long pendingSince) {

    public static IndexState unknown(String collection, int generation, String index, String table) {
        return new IndexState(collection, generation, index, table, -1, 0, 0, 0, 0, null, 0);
    }

    public boolean hasBaseline() {
        return baselineRows >= 0;
    }

    IndexState with(long baseline, long newRows, long newChurn, long dead, int newM) {
        return new IndexState(collection, generation, index, table, baseline, newRows, newChurn, dead, newM, pending,
                pendingSince);
    }

    IndexState pending(String action, long at) {
        return new IndexState(collection, generation, index, table, baselineRows, rows, churn, deadTuples, m, action, at);
    }
}
