package dev.embedstream.simulator;

import static dev.embedstream.simulator.SimulatorHttp.JSON;
import static dev.embedstream.simulator.SimulatorHttp.SMALL;
import static dev.embedstream.simulator.SimulatorHttp.body;
import static dev.embedstream.simulator.SimulatorHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionHttpTest {

    private static EmbeddingSimulator simulator;
    private static SimulatorHttp http;

    @BeforeAll
    static void start() {
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withDefaultDimensions(8));
        http = new SimulatorHttp(simulator);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void healthy() {
        simulator.setFaults(Faults.NONE);
    }

    @Test
    void shouldReturn500WhenServerErrorsAreInjected() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withServerErrorRate(1));

        // When
        HttpResponse<String> response = http.embed(SMALL, "x");

        // Then
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).at("/error/type").asText()).isEqualTo("server_error");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
    }

    @Test
    void shouldReturn503WithRetryAfterWhenUnavailabilityIsInjected() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withUnavailableRate(1).withRetryAfterMs(1_500));

        // When
        HttpResponse<String> response = http.embed(SMALL, "x");

        // Then
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).hasValue("2");
        assertThat(response.headers().firstValue("retry-after-ms")).hasValue("1500");
    }

    @Test
    void shouldReturn429DuringAStormWhateverTheBudgetSays() throws Exception {
        // Given a full budget
        simulator.setFaults(Faults.NONE.withRateLimitStormRate(1));

        // When
        HttpResponse<String> response = http.embed(SMALL, "x");

        // Then the budget was not touched
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens"))
                .hasValue(response.headers().firstValue("x-ratelimit-limit-tokens").orElseThrow());
    }

    @Test
    void shouldDelayTheAnswerWhenSlowResponsesAreInjected() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withSlow(1, 300));

        // When
        long start = System.nanoTime();
        HttpResponse<String> response = http.embed(SMALL, "x");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
    }

    @Test
    void shouldHoldTheConnectionThenCloseItWithoutAnAnswerOnTimeout() {
        // Given
        simulator.setFaults(Faults.NONE.withTimeout(1, 300));

        // When / Then
        long start = System.nanoTime();
        assertThatThrownBy(() -> http.embed(SMALL, "x")).isInstanceOf(IOException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(simulator.stats().dropped()).isPositive();
    }

    @Test
    void shouldCloseTheConnectionWithoutAResponseOnReset() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withConnectionResetRate(1));

        // When / Then
        assertThatThrownBy(() -> http.embed(SMALL, "x")).isInstanceOf(IOException.class);
        simulator.setFaults(Faults.NONE);
        assertThat(http.embed(SMALL, "x").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer200WithTruncatedJsonWhenMalformedBodiesAreInjected() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withMalformedJsonRate(1));

        // When
        HttpResponse<String> response = http.embed(SMALL, "x");

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void shouldAnswerVectorsOneDimensionShortWhenWrongDimensionsAreInjected() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withWrongDimensionsRate(1));

        // When
        JsonNode body = json(http.embed(SMALL, "a", "b"));

        // Then
        assertThat(body.at("/data/0/embedding")).hasSize(1535);
        assertThat(body.at("/data/1/embedding")).hasSize(1535);
    }

    @Test
    void shouldPutANanIntoOneVectorWhenNansAreInjected() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withNanRate(1));

        // When
        JsonNode plain = json(http.embed("local", "a", "b", "c"));
        JsonNode base64 = json(http.post("/v1/embeddings", body("local", "a").put("encoding_format", "base64")
                .toString()));

        // Then
        List<Double> values = new ArrayList<>();
        plain.get("data").forEach(item -> item.get("embedding").forEach(v -> values.add(v.asDouble())));
        assertThat(values).hasSize(24).filteredOn(v -> v.isNaN()).hasSize(1);
        ByteBuffer decoded = ByteBuffer.wrap(Base64.getDecoder().decode(base64.at("/data/0/embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        boolean sawNan = false;
        while (decoded.hasRemaining()) {
            sawNan |= Float.isNaN(decoded.getFloat());
        }
        assertThat(sawNan).isTrue();
    }

    @Test
    void shouldAnswerFewerVectorsThanInputsWhenMissingVectorsAreInjected() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withMissingVectorsRate(1));

        // When
        JsonNode body = json(http.embed("local", "a", "b", "c"));

        // Then
        assertThat(body.get("data")).hasSize(2);
        assertThat(body.at("/usage/total_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void shouldRefuseEveryRequestCarryingTheFailMarkerAndServeTheRest() throws Exception {
        // Given
        simulator.setFaults(Faults.NONE.withFailMarker("<<poison>>"));

        // When
        HttpResponse<String> poisoned = http.embed("local", "fine", "bad <<poison>> text");
        HttpResponse<String> again = http.embed("local", "bad <<poison>> text");
        HttpResponse<String> clean = http.embed("local", "fine", "also fine");

        // Then
        assertThat(poisoned.statusCode()).isEqualTo(400);
        assertThat(json(poisoned).at("/error/param").asText()).isEqualTo("input[1]");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(clean.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldInjectTheSameFaultSequenceForTheSameSeed() throws Exception {
        // Given two simulators with one seed and a 50% error rate, and a third with another seed
        Faults coinFlip = Faults.NONE.withServerErrorRate(0.5);
        SimulatorConfig config = SimulatorConfig.defaults().withSeed(1234).withFaults(coinFlip);

        // When
        List<Integer> first = statuses(config, 24);
        List<Integer> second = statuses(config, 24);
        List<Integer> otherSeed = statuses(config.withSeed(4321), 24);

        // Then
        assertThat(first).isEqualTo(second).contains(200, 500);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void shouldChangeFaultsAtRunTimeThroughTheAdminEndpoint() throws Exception {
        // Given / When
        HttpResponse<String> set = http.post("/admin/faults", "{\"serverErrorRate\":1,\"failMarker\":\"X\"}");
        int during = http.embed(SMALL, "y").statusCode();
        HttpResponse<String> shown = http.get("/admin/faults");
        http.post("/admin/faults", "{}");
        int after = http.embed(SMALL, "y").statusCode();

        // Then
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(during).isEqualTo(500);
        assertThat(json(shown).get("serverErrorRate").asDouble()).isEqualTo(1.0);
        assertThat(json(shown).get("failMarker").asText()).isEqualTo("X");
        assertThat(after).isEqualTo(200);
        assertThat(simulator.faults()).isEqualTo(Faults.NONE);
    }

    @Test
    void shouldRefuseBadAdminFaultsNamingTheField() throws Exception {
        // Given / When
        HttpResponse<String> response = http.post("/admin/faults", "{\"nanRate\":3}");

        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText()).startsWith("nanRate ");
        assertThat(simulator.faults()).isEqualTo(Faults.NONE);
    }

    private static List<Integer> statuses(SimulatorConfig config, int count) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        try (EmbeddingSimulator sim = EmbeddingSimulator.start(config)) {
            SimulatorHttp client = new SimulatorHttp(sim);
            for (int i = 0; i < count; i++) {
                statuses.add(client.embed("local", "x").statusCode());
            }
        }
        return statuses;
    }
}
