package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLookupTest {

    @Test
    void shouldParseDurationsInBothForms() {
        ConfigLookup c = ConfigLookup.of(Map.of("A", "250ms", "B", "PT2M", "C", "3s", "D", "1h"));
        assertThat(c.duration("A", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.duration("B", null)).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.duration("C", null)).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.duration("D", null)).isEqualTo(Duration.ofHours(1));
        assertThat(c.duration("E", Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        ConfigLookup c = ConfigLookup.of(Map.of("EMBEDSTREAM_X", "lots", "EMBEDSTREAM_Y", "soon"));
        assertThatThrownBy(() -> c.integer("EMBEDSTREAM_X", 1)).isInstanceOf(ConfigException.class)
                .hasMessage("invalid config EMBEDSTREAM_X: 'lots' is not a whole number");
        assertThatThrownBy(() -> c.duration("EMBEDSTREAM_Y", null)).hasMessageContaining("EMBEDSTREAM_Y");
        assertThatThrownBy(() -> c.bool("EMBEDSTREAM_X", false)).hasMessageContaining("EMBEDSTREAM_X");
    }

    @Test
    void shouldTreatBlankAsAbsent() {
        assertThat(ConfigLookup.of(Map.of("K", "  ")).string("K", "dflt")).isEqualTo("dflt");
    }
}
