package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VectorJsonTest {

    @Test
    void shouldWriteAChunkVectorAsBase64OfLittleEndianFloat32() throws Exception {
        // Given a chunk with a vector of two floats
        Chunk chunk = new Chunk(0, "t", new float[] {1.0f, -2.5f});

        // When written as JSON
        String json = new String(Json.write(chunk), StandardCharsets.UTF_8);

        // Then the vector is base64 of 00 00 80 3F, 00 00 20 C0
        assertThat(Json.MAPPER.readTree(json).get("vector").asText()).isEqualTo("AACAPwAAIMA=");
    }

    @Test
    void shouldReadAVectorWrittenAsAnArrayOfNumbersOrAsBase64Alike() {
        // Given the same vector in both encodings the contract allows
        byte[] numbers = "{\"index\":0,\"text\":\"t\",\"vector\":[1.0,-2.5]}".getBytes(StandardCharsets.UTF_8);
        byte[] base64 = "{\"index\":0,\"text\":\"t\",\"vector\":\"AACAPwAAIMA=\"}".getBytes(StandardCharsets.UTF_8);

        // Then both read to the same floats
        assertThat(Json.read(numbers, Chunk.class).vector()).containsExactly(1.0f, -2.5f);
        assertThat(Json.read(base64, Chunk.class).vector()).containsExactly(1.0f, -2.5f);
    }

    @Test
    void shouldRefuseAVectorThatIsNotWholeFloatsOrNotAVectorWithItsReason() {
        // Given 3 bytes of base64, text that is not base64, and an object
        byte[] partial = "{\"index\":0,\"text\":\"t\",\"vector\":\"AACA\"}".getBytes(StandardCharsets.UTF_8);
        byte[] notBase64 = "{\"index\":0,\"text\":\"t\",\"vector\":\"not base64!\"}".getBytes(StandardCharsets.UTF_8);
        byte[] object = "{\"index\":0,\"text\":\"t\",\"vector\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8);

        // Then each is refused, saying why
        assertThatThrownBy(() -> Json.read(partial, Chunk.class)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a whole number of 4-byte float32 values");
        assertThatThrownBy(() -> Json.read(notBase64, Chunk.class)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> Json.read(object, Chunk.class)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must be an array of numbers or base64");
    }
}
