package dev.embedstream.writer;

/**
 * What one committed batch did to one generation's vector table, in rows: the writer publishes it
 * as an index event so maintenance can follow growth and churn.
 *
 * @param inserted vector rows inserted (new documents and the new vectors of changed ones)
 * @param updated  vector rows removed because their document got new vectors
 * @param deleted  vector rows removed because their document was deleted
 */
public record IndexChange(String collection, int generation, String index, String table, long inserted, long updated,
                          long deleted) {

    public IndexChange plus(long moreInserted, long moreUpdated, long moreDeleted) {
        return new IndexChange(collection, generation, index, table, inserted + moreInserted, updated + moreUpdated,
                deleted + moreDeleted);
    }

    public boolean isEmpty() {
        return inserted == 0 && updated == 0 && deleted == 0;
    }
}
