package dev.embedstream.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RequestParser parser = new RequestParser(JSON, 384);

    @Test
    void shouldAcceptEveryInputShapeOpenAiAccepts() throws ApiError {
        assertThat(parse("{\"model\":\"m\",\"input\":\"one\"}").inputs()).hasSize(1);
        assertThat(parse("{\"model\":\"m\",\"input\":[\"one\",\"two\"]}").inputs()).hasSize(2);
        assertThat(parse("{\"model\":\"m\",\"input\":[1,2,3]}").tokensPerInput()).containsExactly(3);
        assertThat(parse("{\"model\":\"m\",\"input\":[[1,2],[3]]}").tokensPerInput()).containsExactly(2, 1);
    }

    @Test
    void shouldApplyEachModelsDefaultWidthAndHonourDimensionsOnlyForV3() throws ApiError {
        assertThat(parse("{\"model\":\"text-embedding-3-small\",\"input\":\"x\"}").dimensions()).isEqualTo(1536);
        assertThat(parse("{\"model\":\"text-embedding-3-large\",\"input\":\"x\"}").dimensions()).isEqualTo(3072);
        assertThat(parse("{\"model\":\"all-minilm\",\"input\":\"x\"}").dimensions()).isEqualTo(384);
        assertThat(parse("{\"model\":\"text-embedding-3-large\",\"input\":\"x\",\"dimensions\":256}").dimensions())
                .isEqualTo(256);
        assertThat(error("{\"model\":\"text-embedding-ada-002\",\"input\":\"x\",\"dimensions\":256}").getMessage())
                .isEqualTo("This model does not support specifying dimensions.");
        assertThat(error("{\"model\":\"all-minilm\",\"input\":\"x\",\"dimensions\":256}").param())
                .isEqualTo("dimensions");
        assertThat(error("{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"dimensions\":2000}").param())
                .isEqualTo("dimensions");
    }

    @Test
    void shouldReject2049Inputs() {
        // Given
        ArrayNode inputs = JSON.createArrayNode();
        for (int i = 0; i < 2049; i++) {
            inputs.add("text " + i);
        }

        // When
        ApiError error = error(body("text-embedding-3-small", inputs));

        // Then
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.type()).isEqualTo("invalid_request_error");
        assertThat(error.getMessage()).contains("2048");
    }

    @Test
    void shouldRejectEmptyInputs() {
        assertThat(error("{\"model\":\"m\",\"input\":\"\"}").param()).isEqualTo("input");
        assertThat(error("{\"model\":\"m\",\"input\":[\"ok\",\"\"]}").getMessage()).contains("Input 1 is empty");
        assertThat(error("{\"model\":\"m\",\"input\":[]}").status()).isEqualTo(400);
        assertThat(error("{\"model\":\"m\",\"input\":[[]]}").status()).isEqualTo(400);
    }

    @Test
    void shouldRejectAnInputOver8192Tokens() {
        // Given 8,193 token ids in one input
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 8_193; i++) {
            ids.append(i == 0 ? "" : ",").append(i);
        }

        // When
        ApiError error = error("{\"model\":\"m\",\"input\":[" + ids + "]}");

        // Then
        assertThat(error.getMessage()).startsWith("This model's maximum context length is 8192 tokens, however you "
                + "requested 8193 tokens");
    }

    @Test
    void shouldRejectARequestOver300000TokensInTotal() {
        // Given 40 inputs of 8,000 token ids: 320,000 tokens
        ArrayNode inputs = JSON.createArrayNode();
        for (int i = 0; i < 40; i++) {
            ArrayNode ids = inputs.addArray();
            for (int t = 0; t < 8_000; t++) {
                ids.add(t);
            }
        }

        // When
        ApiError error = error(body("m", inputs));

        // Then
        assertThat(error.getMessage()).isEqualTo("Requested 320000 tokens, max 300000 tokens per request");
        assertThat(error.code()).isEqualTo("max_tokens_per_request");
    }

    @Test
    void shouldRejectMalformedRequestsLikeOpenAi() {
        assertThat(error("not json").getMessage()).startsWith("We could not parse the JSON body");
        assertThat(error("[1]").getMessage()).startsWith("We could not parse the JSON body");
        assertThat(error("{\"input\":\"x\"}").getMessage()).isEqualTo("you must provide a model parameter");
        assertThat(error("{\"model\":\"m\"}").param()).isEqualTo("input");
        assertThat(error("{\"model\":\"m\",\"input\":\"x\",\"temperature\":1}").getMessage())
                .isEqualTo("Unrecognized request argument supplied: temperature");
        assertThat(error("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"int8\"}").param())
                .isEqualTo("encoding_format");
        assertThat(error("{\"model\":\"m\",\"input\":[\"x\",1]}").param()).isEqualTo("input");
        assertThat(error("{\"model\":\"m\",\"input\":[-1]}").param()).isEqualTo("input");
    }

    @Test
    void shouldTreatExplicitNullsAsAbsent() throws ApiError {
        EmbeddingRequest request = parse("{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"dimensions\":null,"
                + "\"encoding_format\":null,\"user\":null}");
        assertThat(request.dimensions()).isEqualTo(1536);
        assertThat(request.base64()).isFalse();
    }

    @Test
    void shouldRefuseInputsContainingTheFailMarkerNamingTheInput() throws ApiError {
        // Given / When
        ApiError error = catchThrowableOfType(ApiError.class, () -> parser.parse(
                bytes("{\"model\":\"m\",\"input\":[\"fine\",\"has POISON inside\"]}"), "POISON"));

        // Then
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).isEqualTo("input[1]");
        assertThat(parser.parse(bytes("{\"model\":\"m\",\"input\":[\"fine\"]}"), "POISON").inputs()).hasSize(1);
    }

    private EmbeddingRequest parse(String json) throws ApiError {
        return parser.parse(bytes(json), null);
    }

    private ApiError error(String json) {
        ApiError error = catchThrowableOfType(ApiError.class, () -> parse(json));
        assertThat(error).as("expected %s to be refused", json).isNotNull();
        return error;
    }

    private static String body(String model, ArrayNode inputs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model);
        root.set("input", inputs);
        return root.toString();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
