package dev.embedstream.simulator;

import static dev.embedstream.simulator.SimulatorHttp.json;
import static dev.embedstream.simulator.SimulatorHttp.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many clients at once against the real clock: the budget must hold however requests interleave. */
class ConcurrencyHttpTest {

    private static final int CLIENTS = 16;
    private static final int REQUESTS = 400;
    private static final int TOKENS_PER_REQUEST = 50;
    private static final int TPM = 6_000;

    @Test
    void shouldNeverServeMoreTokensThanTheBudgetPlusOneRequest() throws Exception {
        // Given 6,000 TPM (100 tokens per second) and 16 clients sending 50-token requests
        SimulatorConfig config = SimulatorConfig.defaults().withRpm(100_000).withTpm(TPM).withThreads(8);
        long started = System.nanoTime();
        List<HttpResponse<String>> responses = new ArrayList<>();
        try (EmbeddingSimulator simulator = EmbeddingSimulator.start(config)) {
            SimulatorHttp http = new SimulatorHttp(simulator);

            // When
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < REQUESTS; i++) {
                    futures.add(clients.submit(() -> http.post("/v1/embeddings",
                            tokens("local", TOKENS_PER_REQUEST).toString())));
                }
                for (Future<HttpResponse<String>> future : futures) {
                    responses.add(future.get());
                }
            } finally {
                clients.shutdownNow();
            }
            double elapsedSeconds = (System.nanoTime() - started) / 1e9;

            // Then
            long served = responses.stream().filter(r -> r.statusCode() == 200)
                    .mapToLong(r -> json(r).at("/usage/total_tokens").asLong()).sum();
            long refused = responses.stream().filter(r -> r.statusCode() == 429).count();
            double refilled = TPM / 60.0 * elapsedSeconds;
            assertThat(served).isGreaterThanOrEqualTo(TPM);
            assertThat((double) served).isLessThanOrEqualTo(TPM + refilled + TOKENS_PER_REQUEST);
            assertThat(refused).isPositive();
            assertThat(served / TOKENS_PER_REQUEST + refused).isEqualTo(REQUESTS);
            Stats stats = simulator.stats();
            assertThat(stats.requests()).isEqualTo(REQUESTS);
            assertThat(stats.tokensCharged()).isEqualTo(served);
            assertThat(stats.ok() + stats.rateLimited()).isEqualTo(REQUESTS);
        }
    }
}
