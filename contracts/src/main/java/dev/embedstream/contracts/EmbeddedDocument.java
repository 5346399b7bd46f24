package dev.embedstream.contracts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A document with its vectors, the value of the embeddings topic. Every chunk carries a vector of
 * {@code model.dimensions()} finite values, validated here so no consumer ever sees a broken one.
 */
public record EmbeddedDocument(
        String collection,
        String id,
        Long version,
        String contentHash,
        ModelId model,
        Map<String, Object> metadata,
        List<Chunk> chunks) {

    public EmbeddedDocument {
        CollectionName.requireValid(collection);
        DocumentId.requireValid(id);
        Objects.requireNonNull(contentHash, "contentHash");
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
