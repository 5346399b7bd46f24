package dev.embedstream.contracts;

import org.apache.kafka.common.serialization.Serdes;

/** The topics that connect the workers. */
public final class Topics {

    /** Documents to embed, keyed by collection and id; a tombstone deletes the document. */
    public static final Topic<DocumentKey, Document> DOCUMENTS =
            new Topic<>("embedstream.documents", JsonSerde.of(DocumentKey.class), JsonSerde.of(Document.class));

    /** Embedded documents ready for the writer; tombstones are passed through from documents. */
    public static final Topic<DocumentKey, EmbeddedDocument> EMBEDDINGS =
            new Topic<>("embedstream.embeddings", JsonSerde.of(DocumentKey.class), JsonSerde.of(EmbeddedDocument.class));

    /** Records that can never succeed, as they arrived, with the reason in {@link DeadLetters} headers. */
    public static final Topic<byte[], byte[]> DEAD_LETTERS =
            new Topic<>("embedstream.dlq", Serdes.ByteArray(), Serdes.ByteArray());

    /**
     * A re-embed's replay of the stored copy of collections fed only through the topic: documents
     * for the generation being built, each with the offset its content had in the documents topic
     * ({@link #SOURCE_OFFSET_HEADER}), so newer changes made meanwhile still win.
     */
    public static final Topic<DocumentKey, Document> REEMBED =
            new Topic<>("embedstream.reembed", JsonSerde.of(DocumentKey.class), JsonSerde.of(Document.class));

    /** What happened to each HNSW index: committed writes, table samples, finished maintenance. */
    public static final Topic<String, IndexEvent> INDEX_EVENTS =
            new Topic<>("embedstream.index-events", Serdes.String(), JsonSerde.of(IndexEvent.class));

    /** Maintenance actions the policy asks for, run one at a time per index by an executor. */
    public static final Topic<String, MaintenanceCommand> MAINTENANCE_COMMANDS =
            new Topic<>("embedstream.maintenance-commands", Serdes.String(), JsonSerde.of(MaintenanceCommand.class));

    /** Header of a replayed document: its offset in the documents topic. */
    public static final String SOURCE_OFFSET_HEADER = "embedstream.source.offset";

    private Topics() {
    }
}
