package dev.embedstream.writer;

import dev.embedstream.contracts.ModelId;

/** A collection as the catalog knows it: its model and the tables that hold its documents and vectors. */
public record CollectionInfo(String name, ModelId model, String docsTable, String vectorTable, String indexName,
                             int hnswM, int hnswEfConstruction) {
}
