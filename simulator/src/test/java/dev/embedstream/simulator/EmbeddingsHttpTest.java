package dev.embedstream.simulator;

import static dev.embedstream.simulator.SimulatorHttp.SMALL;
import static dev.embedstream.simulator.SimulatorHttp.body;
import static dev.embedstream.simulator.SimulatorHttp.floats;
import static dev.embedstream.simulator.SimulatorHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddingsHttpTest {

    private static EmbeddingSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withDefaultDimensions(64));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @Test
    void shouldListenOnLoopbackAndOfferAnOpenAiBaseUrl() {
        assertThat(simulator.port()).isPositive();
        assertThat(simulator.baseUrl()).isEqualTo("http://127.0.0.1:" + simulator.port() + "/v1");
    }

    @Test
    void shouldAnswerInOpenAisResponseShape() throws Exception {
        // Given / When
        HttpResponse<String> response = http.embed(SMALL, "Hello, world!", "The quick brown fox jumps over the lazy dog.");

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(fieldNames(body)).containsExactly("object", "data", "model", "usage");
        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("model").asText()).isEqualTo(SMALL);
        assertThat(body.get("data")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode item = body.get("data").get(i);
            assertThat(fieldNames(item)).containsExactly("object", "index", "embedding");
            assertThat(item.get("object").asText()).isEqualTo("embedding");
            assertThat(item.get("index").asInt()).isEqualTo(i);
            assertThat(item.get("embedding")).hasSize(1536);
            assertThat(norm(floats(item.get("embedding")))).isCloseTo(1.0, within(1e-5));
        }
        // cl100k_base counts these two texts as 4 + 10 tokens
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(14);
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(14);
        assertThat(fieldNames(body.get("usage"))).containsExactly("prompt_tokens", "total_tokens");
    }

    @Test
    void shouldRoundTripBase64AsLittleEndianFloat32() throws Exception {
        // Given
        ObjectNode request = body(SMALL, "round trip").put("encoding_format", "base64");

        // When
        JsonNode base64 = json(http.post("/v1/embeddings", request.toString()));
        JsonNode plain = json(http.embed(SMALL, "round trip"));

        // Then
        byte[] bytes = Base64.getDecoder().decode(base64.at("/data/0/embedding").asText());
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[bytes.length / Float.BYTES];
        for (int i = 0; i < decoded.length; i++) {
            decoded[i] = buffer.getFloat();
        }
        assertThat(decoded).containsExactly(floats(plain.at("/data/0/embedding")));
    }

    @Test
    void shouldReturnTheSameVectorForTheSameTextAcrossRequestsAndSimulators() throws Exception {
        // Given
        float[] first = floats(json(http.embed(SMALL, "deterministic")).at("/data/0/embedding"));

        // When
        float[] again = floats(json(http.embed(SMALL, "deterministic")).at("/data/0/embedding"));
        float[] other = floats(json(http.embed(SMALL, "something else")).at("/data/0/embedding"));
        float[] elsewhere;
        try (EmbeddingSimulator second = EmbeddingSimulator.start(SimulatorConfig.defaults().withSeed(99))) {
            elsewhere = floats(json(new SimulatorHttp(second).embed(SMALL, "deterministic")).at("/data/0/embedding"));
        }

        // Then
        assertThat(again).containsExactly(first);
        assertThat(elsewhere).containsExactly(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void shouldHonourDimensionsForV3ModelsAndUseTheConfiguredWidthForOtherNames() throws Exception {
        // Given
        ObjectNode shortened = body("text-embedding-3-large", "x").put("dimensions", 256);

        // When / Then
        assertThat(json(http.post("/v1/embeddings", shortened.toString())).at("/data/0/embedding")).hasSize(256);
        assertThat(json(http.embed("text-embedding-3-large", "x")).at("/data/0/embedding")).hasSize(3072);
        assertThat(json(http.embed("all-minilm-l6-v2", "x")).at("/data/0/embedding")).hasSize(64);
        ObjectNode refused = body("text-embedding-ada-002", "x").put("dimensions", 256);
        assertThat(http.post("/v1/embeddings", refused.toString()).statusCode()).isEqualTo(400);
    }

    @Test
    void shouldAcceptTokenIdInputsAndChargeExactlyTheirCount() throws Exception {
        // Given
        String request = "{\"model\":\"" + SMALL + "\",\"input\":[[1,2,3],[4,5]]}";

        // When
        JsonNode body = json(http.post("/v1/embeddings", request));

        // Then
        assertThat(body.get("data")).hasSize(2);
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void shouldReturn400InOpenAisErrorShapeForTooManyInputs() throws Exception {
        // Given
        String[] texts = new String[2049];
        Arrays.fill(texts, "x");

        // When
        HttpResponse<String> response = http.embed(SMALL, texts);

        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).get("error");
        assertThat(fieldNames(error)).containsExactly("message", "type", "param", "code");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("message").asText()).contains("2048");
        assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isPresent();
    }

    @Test
    void shouldReturn400ForAnEmptyInput() throws Exception {
        // Given / When
        HttpResponse<String> response = http.embed(SMALL, "fine", "");

        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/param").asText()).isEqualTo("input");
        assertThat(json(response).at("/error/code").isNull()).isTrue();
    }

    @Test
    void shouldAnswerUnknownPathsAndMethodsLikeOpenAi() throws Exception {
        assertThat(http.get("/v1/embeddings").statusCode()).isEqualTo(405);
        HttpResponse<String> missing = http.get("/v1/models/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).at("/error/message").asText()).isEqualTo("Invalid URL (GET /v1/models/nope)");
    }

    @Test
    void shouldReturn401WithoutTheConfiguredKeyAnd200WithIt() throws Exception {
        // Given
        try (EmbeddingSimulator secured = EmbeddingSimulator.start(SimulatorConfig.defaults().withApiKey("sk-right"))) {

            // When
            HttpResponse<String> none = new SimulatorHttp(secured).embed(SMALL, "x");
            HttpResponse<String> wrong = new SimulatorHttp(secured, "sk-wrong-key-123").embed(SMALL, "x");
            HttpResponse<String> right = new SimulatorHttp(secured, "sk-right").embed(SMALL, "x");

            // Then
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(json(none).at("/error/message").asText()).startsWith("You didn't provide an API key.");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(json(wrong).at("/error/code").asText()).isEqualTo("invalid_api_key");
            assertThat(json(wrong).at("/error/message").asText()).doesNotContain("sk-wrong-key-123");
            assertThat(right.statusCode()).isEqualTo(200);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }
}
