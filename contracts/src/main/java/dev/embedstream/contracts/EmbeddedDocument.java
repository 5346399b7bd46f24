package dev.embedstream.contracts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A document with its vectors, the value of the embeddings topic. Every chunk carries a vector of
 * {@code model.dimensions()} finite values, validated here so no consumer ever sees a broken one.
 *
 * @param contentHash  hash of model, chunking and text ({@link ContentHash#of}): equal means "nothing to redo"
 * @param textHash     hash of the text alone ({@link ContentHash#ofText}): compares generations and sources
 * @param sourceOffset offset of the document in the documents topic, or null
 * @param replayed     true for vectors a re-embed made from a stored copy: they never replace vectors
 *                     made from a later offset (offsets are only compared for these, because a
 *                     broker that was reset starts its offsets again)
 * @param text         the whole text, or null: the writer keeps it for collections fed only through
 *                     the topic, as the stored copy a re-embed reads
 */
public record EmbeddedDocument(
        String collection,
        String id,
        Long version,
        String contentHash,
        String textHash,
        ModelId model,
        Map<String, Object> metadata,
        List<Chunk> chunks,
        Long sourceOffset,
        boolean replayed,
        String text) {

    public EmbeddedDocument {
        CollectionName.requireValid(collection);
        DocumentId.requireValid(id);
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(textHash, "textHash");
        Objects.requireNonNull(model, "model");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        chunks = List.copyOf(Objects.requireNonNull(chunks, "chunks"));
        if (chunks.isEmpty()) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " has no chunks");
        }
        for (int i = 0; i < chunks.size(); i++) {
            requireChunk(id, i, chunks.get(i), model.dimensions());
        }
    }

    private static void requireChunk(String id, int position, Chunk chunk, int dimensions) {
        if (chunk.index() != position) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " chunk at position "
                    + position + " has index " + chunk.index());
        }
        float[] v = chunk.vector();
        if (v.length != dimensions) {
            throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " chunk " + position
                    + " has " + v.length + " dimensions, model expects " + dimensions);
        }
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new InvalidInputException("document " + Texts.quoteForMessage(id) + " chunk " + position
                        + " has a non-finite vector value");
            }
        }
    }

    public DocumentKey key() {
        return new DocumentKey(collection, id);
    }
}
