package dev.embedstream.writer;

/**
 * What one batch did to one collection. {@code inserted}: new documents; {@code replaced}: documents
 * whose vectors changed; {@code unchanged}: same content again (re-delivery), vectors kept;
 * {@code stale}: an older version than stored, ignored; {@code deleted}: documents removed.
 */
public record UpsertResult(String collection, int inserted, int replaced, int unchanged, int stale, int deleted,
                           int chunksWritten) {

    public static UpsertResult empty(String collection) {
        return new UpsertResult(collection, 0, 0, 0, 0, 0, 0);
    }

    public UpsertResult plus(UpsertResult o) {
        return new UpsertResult(collection, inserted + o.inserted, replaced + o.replaced, unchanged + o.unchanged,
                stale + o.stale, deleted + o.deleted, chunksWritten + o.chunksWritten);
    }
}
