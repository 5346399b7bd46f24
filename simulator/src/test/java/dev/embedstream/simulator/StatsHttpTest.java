package dev.embedstream.simulator;

import static dev.embedstream.simulator.SimulatorHttp.SMALL;
import static dev.embedstream.simulator.SimulatorHttp.json;
import static dev.embedstream.simulator.SimulatorHttp.tokens;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatsHttpTest {

    @Test
    void shouldCountEveryOutcomeTheSameWayInTheSnapshotAndTheAdminEndpoint() throws Exception {
        // Given 2 RPM on a hand-moved clock
        ManualClock clock = ManualClock.atNoon();
        try (EmbeddingSimulator simulator = EmbeddingSimulator.start(SimulatorConfig.defaults().withRpm(2), clock)) {
            SimulatorHttp http = new SimulatorHttp(simulator);

            // When: one 200 of 2 inputs, one 400, one 500, one 429
            http.post("/v1/embeddings", "{\"model\":\"local\",\"input\":[[1,2,3],[4]]}");
            http.embed(SMALL, "");
            simulator.setFaults(Faults.NONE.withServerErrorRate(1));
            http.post("/v1/embeddings", tokens(SMALL, 10).toString());
            simulator.setFaults(Faults.NONE);
            http.embed(SMALL, "refused");
            JsonNode admin = json(http.get("/admin/stats"));

            // Then
            Stats stats = simulator.stats();
            assertThat(stats.requests()).isEqualTo(4);
            assertThat(stats.ok()).isEqualTo(1);
            assertThat(stats.clientErrors()).isEqualTo(1);
            assertThat(stats.serverErrors()).isEqualTo(1);
            assertThat(stats.rateLimited()).isEqualTo(1);
            assertThat(stats.inputsEmbedded()).isEqualTo(2);
            assertThat(stats.tokensCharged()).isEqualTo(14);
            assertThat(stats.minutes()).singleElement()
                    .satisfies(minute -> assertThat(minute.start()).isEqualTo(Instant.parse("2025-01-01T12:00:00Z")));
            assertThat(admin.get("requests").asLong()).isEqualTo(4);
            assertThat(admin.get("ok").asLong()).isEqualTo(1);
            assertThat(admin.get("rateLimited").asLong()).isEqualTo(1);
            assertThat(admin.get("serverErrors").asLong()).isEqualTo(1);
            assertThat(admin.get("inputsEmbedded").asLong()).isEqualTo(2);
            assertThat(admin.get("tokensCharged").asLong()).isEqualTo(14);
            assertThat(admin.at("/minutes/0/start").asText()).isEqualTo("2025-01-01T12:00:00Z");
            assertThat(admin.at("/minutes/0/requests").asLong()).isEqualTo(4);
        }
    }
}
