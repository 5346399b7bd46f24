package dev.embedstream.contracts;

import java.util.Objects;

/** One embedded piece of a document: chunks of a document are always replaced as a set. */
public record Chunk(int index, String text,
        @com.fasterxml.jackson.databind.annotation.JsonSerialize(using = VectorJson.Serializer.class)
        @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = VectorJson.Deserializer.class)
        float[] vector) {

    public Chunk {
        Objects.requireNonNull(text, "chunk text");
        Objects.requireNonNull(vector, "chunk vector");
        if (index < 0) {
            throw new IllegalArgumentException("chunk index must be >= 0, got " + index);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Chunk c && c.index == index && c.text.equals(text) && java.util.Arrays.equals(c.vector, vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, text, java.util.Arrays.hashCode(vector));
    }

    @Override
    public String toString() {
        return "Chunk[index=" + index + ", chars=" + text.length() + ", dims=" + vector.length + "]";
    }
}
