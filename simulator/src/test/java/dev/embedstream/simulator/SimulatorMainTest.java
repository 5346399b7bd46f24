package dev.embedstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

    @Test
    void shouldLetFlagsOverrideTheEnvironment() {
        // Given
        Map<String, String> env = Map.of("EMBEDSTREAM_SIM_RPM", "10", "EMBEDSTREAM_SIM_API_KEY", "sk-env");

        // When
        SimulatorConfig config = SimulatorMain.config(
                new String[] {"--port", "8099", "--rpm", "3000", "--tpm", "1000000"}, env::get);

        // Then
        assertThat(config.port()).isEqualTo(8099);
        assertThat(config.rpm()).isEqualTo(3_000);
        assertThat(config.tpm()).isEqualTo(1_000_000);
        assertThat(config.apiKey()).isEqualTo("sk-env");
    }

    @Test
    void shouldRefuseUnknownOrIncompleteFlags() {
        assertThatThrownBy(() -> SimulatorMain.config(new String[] {"--rps", "1"}, k -> null))
                .hasMessageContaining("--rps");
        assertThatThrownBy(() -> SimulatorMain.config(new String[] {"--port"}, k -> null))
                .hasMessageContaining("--port");
    }
}
