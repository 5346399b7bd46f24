package dev.embedstream.app.faults;

import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.embedder.OpenAiConfig;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.writer.WriterConfig;
import java.util.HashMap;
import java.util.Map;

/** The settings every fault scenario starts from: its own topics, schema, groups, and the simulator at 64 dimensions. */
final class FaultEnv {

    private FaultEnv() {
    }

    static Map<String, String> of(KafkaSettings kafka, PostgresEndpoint pg, String schema, String run, String simulatorUrl,
                                  String apiKey) {
        Map<String, String> env = new HashMap<>();
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        env.put(KafkaSettings.CLIENT_ID_PREFIX, kafka.clientIdPrefix());
        env.put(KafkaSettings.TOPIC_PREFIX, kafka.topicPrefix());
        env.put(WriterConfig.JDBC_URL, pg.jdbcUrl());
        env.put(WriterConfig.USER, pg.user());
        env.put(WriterConfig.PASSWORD, pg.password());
        env.put(WriterConfig.SCHEMA, schema);
        env.put(WriterConfig.GROUP_ID, "writer-" + run);
        env.put(EmbedderConfig.GROUP_ID, "embedder-" + run);
        env.put(EmbedderConfig.PROVIDER, EmbedderConfig.PROVIDER_OPENAI);
        env.put(OpenAiConfig.BASE_URL, simulatorUrl);
        env.put(OpenAiConfig.API_KEY, apiKey);
        env.put(OpenAiConfig.DIMENSIONS, "64");
        return env;
    }
}
