package dev.embedstream.embedder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.ConfigException;
import dev.embedstream.contracts.ConfigLookup;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbedderConfigTest {

    @Test
    void shouldDefaultToTheInt8VariantWithOneSessionPerCoreUpToTheCap() {
        // Given / When
        EmbedderConfig config = EmbedderConfig.from(ConfigLookup.of(Map.of()));

        // Then
        assertThat(config.localVariant()).isEqualTo(LocalModels.INT8);
        assertThat(config.localModelOptions()).isEqualTo(LocalModelOptions.defaults());
        assertThat(config.localModelOptions().threads())
                .isEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), LocalModelOptions.MAX_DEFAULT_SESSIONS));
    }

    @Test
    void shouldGiveTheModelTheConfiguredNumberOfSingleThreadedSessions() {
        // Given / When
        EmbedderConfig config = EmbedderConfig.from(ConfigLookup.of(Map.of(EmbedderConfig.LOCAL_THREADS, "3",
                EmbedderConfig.LOCAL_VARIANT, "fp32")));

        // Then
        assertThat(config.localModelOptions()).isEqualTo(new LocalModelOptions(3, 1, LocalModelOptions.DEFAULT_MAX_BATCH_SIZE));
        assertThat(config.localVariant()).isEqualTo(LocalModels.FP32);
    }

    @Test
    void shouldRefuseAnUnknownVariantNamingTheKey() {
        // Given / When / Then
        assertThatThrownBy(() -> EmbedderConfig.from(ConfigLookup.of(Map.of(EmbedderConfig.LOCAL_VARIANT, "fp16"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(EmbedderConfig.LOCAL_VARIANT)
                .hasMessageContaining("'fp16'")
                .hasMessageContaining("int8");
    }

    @Test
    void shouldPollSeveralBatchesForTheLocalModelButOneForAPaidApi() {
        // Given the defaults, and the openai provider
        EmbedderConfig local = EmbedderConfig.from(ConfigLookup.of(Map.of()));
        EmbedderConfig api = EmbedderConfig.from(ConfigLookup.of(Map.of(EmbedderConfig.PROVIDER, "openai")));

        // Then the local model polls 512 records, an API one batch (a retried poll is paid again)
        assertThat(local.pollRecords()).isEqualTo(512);
        assertThat(api.pollRecords()).isEqualTo(api.batchDocuments());
    }

    @Test
    void shouldRefuseAPollSmallerThanABatchNamingTheKey() {
        assertThatThrownBy(() -> EmbedderConfig.from(ConfigLookup.of(Map.of(EmbedderConfig.BATCH_DOCUMENTS, "100",
                EmbedderConfig.POLL_RECORDS, "50"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(EmbedderConfig.POLL_RECORDS);
    }
}
