package dev.embedstream.app;

import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.writer.WriterConfig;
import java.util.Optional;

/**
 * Configuration of the all-in-one app: the workers' own configs, and the Kafka cluster, which is
 * absent when the app should start its own local broker.
 */
public record AppConfig(Optional<KafkaSettings> kafka, EmbedderConfig embedder, Optional<OpenAiConfig> openai,
                        WriterConfig writer) {

    public AppConfig {
        if (embedder.provider().equals(EmbedderConfig.PROVIDER_OPENAI) && openai.isEmpty()) {
            throw new dev.embedstream.contracts.ConfigException(EmbedderConfig.PROVIDER, "openai needs the "
                    + "EMBEDSTREAM_OPENAI_* settings");
        }
    }

    public AppConfig(Optional<KafkaSettings> kafka, EmbedderConfig embedder, WriterConfig writer) {
        this(kafka, embedder, Optional.empty(), writer);
    }

    public static AppConfig from(ConfigLookup config) {
        if (config.raw(KafkaSettings.BOOTSTRAP_SERVERS) == null && config.raw(KafkaSettings.PROPERTIES_FILE) != null) {
            throw new dev.embedstream.contracts.ConfigException(KafkaSettings.PROPERTIES_FILE, "applies to an external"
                    + " cluster: set " + KafkaSettings.BOOTSTRAP_SERVERS + " too (the embedded broker takes no security"
                    + " settings)");
        }
        Optional<KafkaSettings> kafka = config.raw(KafkaSettings.BOOTSTRAP_SERVERS) == null
                ? Optional.empty() : Optional.of(KafkaSettings.from(config));
        EmbedderConfig embedder = EmbedderConfig.from(config);
        // OpenAI settings are read whenever a key is given: a re-embed may target such a model even
        // when the default provider is the local one.
        boolean wanted = embedder.provider().equals(EmbedderConfig.PROVIDER_OPENAI)
                || config.raw(OpenAiConfig.API_KEY) != null || config.raw(OpenAiConfig.API_KEY_FALLBACK) != null;
        Optional<OpenAiConfig> openai = wanted ? Optional.of(OpenAiConfig.from(config)) : Optional.empty();
        return new AppConfig(kafka, embedder, openai, WriterConfig.from(config));
    }

    /** The configured cluster, or a clear error for commands that need an existing one. */
    public KafkaSettings requireKafka() {
        return kafka.orElseThrow(() -> new dev.embedstream.contracts.ConfigException(KafkaSettings.BOOTSTRAP_SERVERS,
                "is required for this command (e.g. localhost:9092)"));
    }
}
