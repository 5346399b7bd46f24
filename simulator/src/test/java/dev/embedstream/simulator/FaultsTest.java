package dev.embedstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.simulator.internal.FaultsJson;
import org.junit.jupiter.api.Test;

class FaultsTest {

    @Test
    void shouldNameTheFieldOfAnInvalidFault() {
        assertThatThrownBy(() -> Faults.NONE.withServerErrorRate(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("serverErrorRate ");
        assertThatThrownBy(() -> Faults.NONE.withNanRate(Double.NaN)).hasMessageStartingWith("nanRate ");
        assertThatThrownBy(() -> Faults.NONE.withSlow(0.5, -1)).hasMessageStartingWith("slowLatencyMs ");
        assertThatThrownBy(() -> Faults.NONE.withTimeout(0.5, Faults.MAX_WAIT_MS + 1))
                .hasMessageStartingWith("timeoutMs ");
    }

    @Test
    void shouldChangeOnlyTheNamedFaultInAWither() {
        // Given / When
        Faults faults = Faults.NONE.withSlow(0.25, 300).withFailMarker("POISON");

        // Then
        assertThat(faults.slowRate()).isEqualTo(0.25);
        assertThat(faults.slowLatencyMs()).isEqualTo(300);
        assertThat(faults.failMarker()).isEqualTo("POISON");
        assertThat(faults.withFailMarker(null).withSlow(0, Faults.DEFAULT_SLOW_LATENCY_MS)).isEqualTo(Faults.NONE);
    }

    @Test
    void shouldTreatAnEmptyMarkerAsNoMarkerBecauseItWouldMatchEveryInput() {
        assertThat(Faults.NONE.withFailMarker("").failMarker()).isNull();
    }

    @Test
    void shouldReadTheAdminJsonWithOmittedKeysOff() {
        // Given / When
        Faults faults = FaultsJson.parse("{\"serverErrorRate\":0.1,\"timeoutRate\":1,\"timeoutMs\":250}");

        // Then
        assertThat(faults).isEqualTo(Faults.NONE.withServerErrorRate(0.1).withTimeout(1, 250));
    }

    @Test
    void shouldNameTheKeyOfBadAdminJson() {
        assertThatThrownBy(() -> FaultsJson.parse("{\"serverErrorRatio\":0.1}"))
                .hasMessageContaining("unknown fault 'serverErrorRatio'");
        assertThatThrownBy(() -> FaultsJson.parse("{\"nanRate\":\"often\"}")).hasMessageStartingWith("nanRate ");
        assertThatThrownBy(() -> FaultsJson.parse("{\"slowLatencyMs\":1.5}"))
                .hasMessageStartingWith("slowLatencyMs ");
        assertThatThrownBy(() -> FaultsJson.parse("[]")).hasMessageContaining("JSON object");
    }
}
