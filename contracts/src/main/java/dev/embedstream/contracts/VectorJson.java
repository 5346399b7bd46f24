package dev.embedstream.contracts;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A chunk's vector in JSON: written as base64 of little-endian IEEE-754 float32 values (4 bytes a
 * dimension); read from that or from a JSON array of numbers (what any other producer, and embedders
 * before this encoding, write). Printing and parsing 384 decimal floats per document was the biggest
 * cost of both the embedder and the writer; the bytes are also the exact floats.
 */
public final class VectorJson {

    private VectorJson() {
    }

    /** The float32 values as little-endian bytes. */
    public static byte[] toBytes(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return bytes.array();
    }

    /** @throws InvalidInputException when the length is not a whole number of floats */
    public static float[] fromBytes(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new InvalidInputException("chunk vector is " + bytes.length + " bytes of base64 data, not a whole"
                    + " number of 4-byte float32 values");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    /** Writes base64 of the little-endian float32 values. */
    public static final class Serializer extends JsonSerializer<float[]> {
        @Override
        public void serialize(float[] vector, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeBinary(toBytes(vector));
        }
    }

    /** Reads base64 of little-endian float32 values, or an array of numbers. */
    public static final class Deserializer extends JsonDeserializer<float[]> {
        @Override
        public float[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                byte[] bytes;
                try {
                    bytes = p.getBinaryValue();
                } catch (IOException | IllegalArgumentException e) {
                    throw new InvalidInputException("chunk vector is neither an array of numbers nor base64 float32"
                            + " values: " + e.getMessage());
                }
                return fromBytes(bytes);
            }
            if (p.currentToken() == JsonToken.START_ARRAY) {
                return ctxt.readValue(p, float[].class);
            }
            throw new InvalidInputException("chunk vector must be an array of numbers or base64 float32 values, got "
                    + p.currentToken());
        }
    }
}
