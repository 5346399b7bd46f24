package dev.embedstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void shouldDefaultToOpenAiTier1LimitsOnAFreePortWithoutAuth() {
        // Given / When
        SimulatorConfig config = SimulatorConfig.from(Map.<String, String>of()::get);

        // Then
        assertThat(config).isEqualTo(SimulatorConfig.defaults());
        assertThat(config.rpm()).isEqualTo(3_000);
        assertThat(config.tpm()).isEqualTo(1_000_000);
        assertThat(config.apiKey()).isNull();
        assertThat(config.port()).isZero();
        assertThat(config.threads()).isEqualTo(8);
        assertThat(config.defaultDimensions()).isEqualTo(384);
        assertThat(config.faults()).isEqualTo(Faults.NONE);
    }

    @Test
    void shouldReadEveryEnvironmentKey() {
        // Given
        Map<String, String> env = Map.of(
                "EMBEDSTREAM_SIM_RPM", "500",
                "EMBEDSTREAM_SIM_TPM", "150_000",
                "EMBEDSTREAM_SIM_API_KEY", "sk-test",
                "EMBEDSTREAM_SIM_PORT", "8099",
                "EMBEDSTREAM_SIM_THREADS", "4",
                "EMBEDSTREAM_SIM_DEFAULT_DIMENSIONS", "768",
                "EMBEDSTREAM_SIM_SEED", "-3",
                "EMBEDSTREAM_SIM_FAULTS", "{\"serverErrorRate\":0.2}");

        // When
        SimulatorConfig config = SimulatorConfig.from(env::get);

        // Then
        assertThat(config).isEqualTo(new SimulatorConfig(500, 150_000, "sk-test", 8099, 4, 768, -3,
                Faults.NONE.withServerErrorRate(0.2)));
    }

    @Test
    void shouldNameTheFieldOfEveryInvalidValue() {
        SimulatorConfig ok = SimulatorConfig.defaults();
        assertThatThrownBy(() -> ok.withRpm(0)).hasMessageStartingWith("rpm ");
        assertThatThrownBy(() -> ok.withTpm(SimulatorConfig.MAX_LIMIT + 1)).hasMessageStartingWith("tpm ");
        assertThatThrownBy(() -> ok.withApiKey(" ")).hasMessageStartingWith("apiKey ");
        assertThatThrownBy(() -> ok.withPort(70_000)).hasMessageStartingWith("port ");
        assertThatThrownBy(() -> ok.withThreads(0)).hasMessageStartingWith("threads ");
        assertThatThrownBy(() -> ok.withDefaultDimensions(0)).hasMessageStartingWith("defaultDimensions ");
        assertThatThrownBy(() -> ok.withFaults(null)).hasMessageStartingWith("faults ");
    }

    @Test
    void shouldNameTheEnvironmentKeyOfAnUnreadableValue() {
        assertThatThrownBy(() -> SimulatorConfig.from(Map.of("EMBEDSTREAM_SIM_TPM", "lots")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("EMBEDSTREAM_SIM_TPM: 'lots' is not a whole number");
        assertThatThrownBy(() -> SimulatorConfig.from(Map.of("EMBEDSTREAM_SIM_FAULTS", "{\"nanRate\":2}")::get))
                .hasMessageStartingWith("EMBEDSTREAM_SIM_FAULTS: nanRate ");
    }

    @Test
    void shouldNotPrintTheApiKey() {
        assertThat(SimulatorConfig.defaults().withApiKey("sk-secret").toString()).doesNotContain("sk-secret");
    }
}
