package dev.embedstream.contracts;

import java.util.Objects;

/**
 * What happened to one HNSW index, the value of the index-events topic (keyed by {@link #key()}).
 * The maintenance topology folds these into the index's growth and churn since its last build.
 *
 * @param type       {@code WRITE}: a committed writer batch; {@code STATS}: a sample of the table;
 *                   {@code DONE}: a maintenance action finished
 * @param index      the index name
 * @param table      the vector table it indexes
 * @param inserted   vector rows inserted (WRITE)
 * @param updated    vector rows replaced by new vectors of the same document (WRITE)
 * @param deleted    vector rows deleted (WRITE)
 * @param rows       rows in the table now (STATS, DONE); -1 when not known
 * @param deadTuples dead tuples of the table (STATS); -1 when not known
 * @param m          the index's HNSW m (STATS, DONE); 0 when not known
 * @param action     the maintenance action that finished (DONE), else null
 * @param at         epoch milliseconds
 */
public record IndexEvent(Type type, String collection, int generation, String index, String table, long inserted,
                         long updated, long deleted, long rows, long deadTuples, int m, String action, long at) {

    /** The kinds of event. */
    public enum Type { WRITE, STATS, DONE }

    public IndexEvent {
        Objects.requireNonNull(type, "type");
        CollectionName.requireValid(collection);
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(table, "table");
    }

    public static IndexEvent write(String collection, int generation, String index, String table, long inserted,
                                   long updated, long deleted, long at) {
        return new IndexEvent(Type.WRITE, collection, generation, index, table, inserted, updated, deleted, -1, -1, 0,
                null, at);
    }

    public static IndexEvent stats(String collection, int generation, String index, String table, long rows,
                                   long deadTuples, int m, long at) {
        return new IndexEvent(Type.STATS, collection, generation, index, table, 0, 0, 0, rows, deadTuples, m, null, at);
    }

    public static IndexEvent done(String collection, int generation, String index, String table, String action,
                                  long rows, long deadTuples, int m, long at) {
        return new IndexEvent(Type.DONE, collection, generation, index, table, 0, 0, 0, rows, deadTuples, m, action, at);
    }

    /** One key per index, so all of an index's events meet in one partition, in order. */
    public String key() {
        return keyOf(collection, generation);
    }

    public static String keyOf(String collection, int generation) {
        return collection + "/" + generation;
    }
}
