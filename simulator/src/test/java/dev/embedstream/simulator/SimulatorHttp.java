package dev.embedstream.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain {@link HttpClient} pointed at a simulator, speaking JSON the way an OpenAI client would. */
final class SimulatorHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SMALL = "text-embedding-3-small";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final EmbeddingSimulator simulator;
    private final String apiKey;

    SimulatorHttp(EmbeddingSimulator simulator, String apiKey) {
        this.simulator = simulator;
        this.apiKey = apiKey;
    }

    SimulatorHttp(EmbeddingSimulator simulator) {
        this(simulator, null);
    }

    HttpResponse<String> embed(String model, String... texts) throws IOException, InterruptedException {
        return post("/v1/embeddings", body(model, texts).toString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    static ObjectNode body(String model, String... texts) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode input = body.putArray("input");
        for (String text : texts) {
            input.add(text);
        }
        return body;
    }

    /** An input of {@code count} token ids: exactly {@code count} tokens, whatever the estimator says about text. */
    static ObjectNode tokens(String model, int count) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode ids = body.putArray("input");
        for (int i = 0; i < count; i++) {
            ids.add(1000 + i);
        }
        return body;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    static float[] floats(JsonNode embedding) {
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) embedding.get(i).asDouble();
        }
        return vector;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        return apiKey == null ? builder : builder.header("Authorization", "Bearer " + apiKey);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
