package dev.embedstream.writer;

import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.EmbeddedDocument;

/** One change the writer applies: a document's new vectors, or its removal. */
public sealed interface Change {

    DocumentKey key();

    /** New or changed vectors of a document, replacing all its chunks as a set. */
    record Upsert(EmbeddedDocument document) implements Change {
        @Override
        public DocumentKey key() {
            return document.key();
        }
    }

    /** Removal of a document and all its chunks. */
    record Delete(DocumentKey key) implements Change {
    }
}
