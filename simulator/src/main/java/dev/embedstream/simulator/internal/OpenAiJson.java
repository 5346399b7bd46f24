package dev.embedstream.simulator.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Writes the simulator's answers byte for byte in OpenAI's JSON shapes. */
final class OpenAiJson {

    /** One entry of {@code data}; the index is the input's position, which survives a dropped neighbour. */
    record Embedding(int index, float[] vector) {
    }

    private final ObjectMapper json;

    OpenAiJson(ObjectMapper json) {
        this.json = json;
    }

    byte[] error(ApiError error) {
        return write(gen -> {
            gen.writeStartObject();
            gen.writeObjectFieldStart("error");
            gen.writeStringField("message", error.getMessage());
            gen.writeStringField("type", error.type());
            gen.writeStringField("param", error.param());
            gen.writeStringField("code", error.code());
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }

    byte[] embeddings(List<Embedding> data, String model, int tokens, boolean base64) {
        return write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("object", "list");
            gen.writeArrayFieldStart("data");
            for (Embedding embedding : data) {
                writeEmbedding(gen, embedding, base64);
            }
            gen.writeEndArray();
            gen.writeStringField("model", model);
            gen.writeObjectFieldStart("usage");
            gen.writeNumberField("prompt_tokens", tokens);
            gen.writeNumberField("total_tokens", tokens);
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }

    private static void writeEmbedding(JsonGenerator gen, Embedding embedding, boolean base64) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("object", "embedding");
        gen.writeNumberField("index", embedding.index());
        gen.writeFieldName("embedding");
        if (base64) {
            gen.writeString(Vectors.base64(embedding.vector()));
        } else {
            gen.writeArray(toDoubles(embedding.vector()), 0, embedding.vector().length);
        }
        gen.writeEndObject();
    }

    /** Jackson has no float[] array writer; widening is exact, and NaN is written as the string "NaN". */
    private static double[] toDoubles(float[] vector) {
        double[] values = new double[vector.length];
        for (int i = 0; i < vector.length; i++) {
            values[i] = vector[i];
        }
        return values;
    }

    private byte[] write(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator gen = json.getFactory().createGenerator(bytes)) {
            body.writeTo(gen);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory", e);
        }
        return bytes.toByteArray();
    }

    /** A JSON body written through a generator. */
    @FunctionalInterface
    private interface Body {
        void writeTo(JsonGenerator gen) throws IOException;
    }
}
