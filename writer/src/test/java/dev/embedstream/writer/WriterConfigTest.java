package dev.embedstream.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriterConfigTest {

    @Test
    void shouldWriteOnTwoConnectionsByDefaultAndKeepOneFreeInASmallPool() {
        // Given the default pool, and pools of one and two connections
        WriterConfig defaults = WriterConfig.from(ConfigLookup.of(Map.of()));
        WriterConfig poolOfOne = WriterConfig.from(ConfigLookup.of(Map.of(WriterConfig.POOL_SIZE, "1")));
        WriterConfig poolOfTwo = WriterConfig.from(ConfigLookup.of(Map.of(WriterConfig.POOL_SIZE, "2")));

        // Then
        assertThat(defaults.threads()).isEqualTo(2);
        assertThat(poolOfOne.threads()).isEqualTo(1);
        assertThat(poolOfTwo.threads()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAsManyThreadsAsPooledConnectionsNamingTheKey() {
        assertThatThrownBy(() -> WriterConfig.from(ConfigLookup.of(Map.of(WriterConfig.POOL_SIZE, "3",
                WriterConfig.THREADS, "3"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(WriterConfig.THREADS)
                .hasMessageContaining("at most 2");
    }

    @Test
    void shouldBoundTheBuildMemoryAtOneGigabyteByDefaultAndRefuseLessThanPostgresDefault() {
        assertThat(WriterConfig.from(ConfigLookup.of(Map.of())).maxWorkMemMb()).isEqualTo(1024);
        assertThat(WriterConfig.from(ConfigLookup.of(Map.of(WriterConfig.MAX_WORK_MEM_MB, "4096"))).maxWorkMemMb())
                .isEqualTo(4096);
        assertThatThrownBy(() -> WriterConfig.from(ConfigLookup.of(Map.of(WriterConfig.MAX_WORK_MEM_MB, "32"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(WriterConfig.MAX_WORK_MEM_MB);
    }
}
