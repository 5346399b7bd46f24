package dev.embedstream.simulator;

import static dev.embedstream.simulator.SimulatorHttp.SMALL;
import static dev.embedstream.simulator.SimulatorHttp.json;
import static dev.embedstream.simulator.SimulatorHttp.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rate limits against a hand-moved clock: exact numbers, no sleeping. */
class RateLimitHttpTest {

    private static final List<String> RATE_LIMIT_HEADERS = List.of(
            "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens",
            "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens",
            "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens");

    private final ManualClock clock = ManualClock.atNoon();
    private EmbeddingSimulator simulator;

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Test
    void shouldCarryAllSixRateLimitHeadersOnASuccessfulResponse() throws Exception {
        // Given 3,000 RPM and 6,000 TPM (100 tokens per second)
        SimulatorHttp http = start(3_000, 6_000);

        // When a 600-token request is served
        HttpResponse<String> response = http.post("/v1/embeddings", tokens(SMALL, 600).toString());

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        HttpHeaders headers = response.headers();
        assertThat(headers.firstValue("x-ratelimit-limit-requests")).hasValue("3000");
        assertThat(headers.firstValue("x-ratelimit-limit-tokens")).hasValue("6000");
        assertThat(headers.firstValue("x-ratelimit-remaining-requests")).hasValue("2999");
        assertThat(headers.firstValue("x-ratelimit-remaining-tokens")).hasValue("5400");
        assertThat(headers.firstValue("x-ratelimit-reset-requests")).hasValue("20ms");
        assertThat(headers.firstValue("x-ratelimit-reset-tokens")).hasValue("6s");
    }

    @Test
    void shouldReturn429WithRetryAfterWhenTheTokenBudgetIsSpent() throws Exception {
        // Given 6,000 TPM with 5,000 tokens already spent
        SimulatorHttp http = start(3_000, 6_000);
        assertThat(http.post("/v1/embeddings", tokens(SMALL, 5_000).toString()).statusCode()).isEqualTo(200);

        // When 1,500 more tokens are asked for: 500 short at 100 per second
        HttpResponse<String> response = http.post("/v1/embeddings", tokens(SMALL, 1_500).toString());

        // Then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("5");
        assertThat(response.headers().firstValue("retry-after-ms")).hasValue("5000");
        for (String header : RATE_LIMIT_HEADERS) {
            assertThat(response.headers().firstValue(header)).as(header).isPresent();
        }
        assertThat(response.headers().firstValue("x-ratelimit-remaining-tokens")).hasValue("1000");
        assertThat(response.headers().firstValue("x-ratelimit-reset-tokens")).hasValue("50s");
        JsonNode error = json(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("tokens");
        assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error.get("message").asText()).contains("tokens per min (TPM): Limit 6000, Used 5000, "
                + "Requested 1500. Please try again in 5s.");
    }

    @Test
    void shouldAdmitTheRequestOnceTheAnnouncedWaitHasPassed() throws Exception {
        // Given a refused request
        SimulatorHttp http = start(3_000, 6_000);
        http.post("/v1/embeddings", tokens(SMALL, 5_000).toString());
        HttpResponse<String> refused = http.post("/v1/embeddings", tokens(SMALL, 1_500).toString());
        long waitMs = Long.parseLong(refused.headers().firstValue("retry-after-ms").orElseThrow());

        // When the clock moves one millisecond short, then the full wait
        clock.advance(Duration.ofMillis(waitMs - 1));
        int early = http.post("/v1/embeddings", tokens(SMALL, 1_500).toString()).statusCode();
        clock.advance(Duration.ofMillis(1));
        int onTime = http.post("/v1/embeddings", tokens(SMALL, 1_500).toString()).statusCode();

        // Then
        assertThat(early).isEqualTo(429);
        assertThat(onTime).isEqualTo(200);
    }

    @Test
    void shouldReturn429OnRequestsPerMinuteWhenTheRequestBudgetIsSpent() throws Exception {
        // Given 2 RPM, both used
        SimulatorHttp http = start(2, 1_000_000);
        http.embed(SMALL, "one");
        http.embed(SMALL, "two");

        // When
        HttpResponse<String> response = http.embed(SMALL, "three");

        // Then one request refills every 30 s
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(json(response).at("/error/type").asText()).isEqualTo("requests");
        assertThat(response.headers().firstValue("retry-after")).hasValue("30");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        assertThat(response.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1m0s");
    }

    @Test
    void shouldSayARequestLargerThanTheWholeTokenBudgetIsTooLarge() throws Exception {
        // Given
        SimulatorHttp http = start(3_000, 1_000);

        // When
        HttpResponse<String> response = http.post("/v1/embeddings", tokens(SMALL, 1_001).toString());

        // Then
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(json(response).at("/error/message").asText()).startsWith("Request too large for " + SMALL);
    }

    @Test
    void shouldKeepASeparateBudgetPerApiKey() throws Exception {
        // Given no configured key, so any key is accepted; key A has spent its one request
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withRpm(1), clock);
        SimulatorHttp keyA = new SimulatorHttp(simulator, "sk-a");
        SimulatorHttp keyB = new SimulatorHttp(simulator, "sk-b");
        keyA.embed(SMALL, "x");

        // When / Then
        assertThat(keyA.embed(SMALL, "x").statusCode()).isEqualTo(429);
        assertThat(keyB.embed(SMALL, "x").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldNotChargeARefusedRequest() throws Exception {
        // Given a spent token budget
        SimulatorHttp http = start(3_000, 6_000);
        http.post("/v1/embeddings", tokens(SMALL, 6_000).toString());

        // When three requests are refused
        for (int i = 0; i < 3; i++) {
            http.post("/v1/embeddings", tokens(SMALL, 100).toString());
        }

        // Then only the admitted request is counted as charged, and the request budget shows one use
        Stats stats = simulator.stats();
        assertThat(stats.tokensCharged()).isEqualTo(6_000);
        assertThat(stats.rateLimited()).isEqualTo(3);
        HttpResponse<String> probe = http.post("/v1/embeddings", tokens(SMALL, 100).toString());
        assertThat(probe.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("2999");
    }

    private SimulatorHttp start(int rpm, int tpm) {
        simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withRpm(rpm).withTpm(tpm), clock);
        return new SimulatorHttp(simulator);
    }
}
