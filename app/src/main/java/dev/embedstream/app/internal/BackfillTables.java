package dev.embedstream.app.internal;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.VectorStore;
import java.util.List;

/** The bookkeeping tables a backfill compares with: those of the collection's live generations, now. */
public final class BackfillTables {

    private BackfillTables() {
    }

    public static List<String> liveDocsTables(VectorStore store, String collection) {
        CollectionInfo info = store.collection(collection).orElseThrow(() -> new InvalidInputException(
                "collection '" + collection + "' was dropped while its backfill ran"));
        return info.live().stream().map(g -> SqlIdentifiers.qualified(store.config().schema(), g.docsTable())).toList();
    }
}
