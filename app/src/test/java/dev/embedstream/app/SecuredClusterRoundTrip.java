package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.ConsumerLag;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.testkit.PostgresEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** What the secured-broker ITs share: the app's config from a client properties file, and a round trip through it. */
final class SecuredClusterRoundTrip {

    private static final int DOCUMENTS = 20;

    private final PostgresEndpoint pg;
    private final String schema;
    private final String run;

    SecuredClusterRoundTrip(PostgresEndpoint pg, String schema, String run) {
        this.pg = pg;
        this.schema = schema;
        this.run = run;
    }

    /** The workers' config for {@code bootstrapServers}, with {@code properties} written to a file in {@code dir}. */
    AppConfig config(Path dir, String bootstrapServers, String properties) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, properties);
        Map<String, String> env = ItConfigs.writerEnv(pg, schema, "writer-" + run);
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers);
        env.put(KafkaSettings.PROPERTIES_FILE, file.toString());
        env.put(KafkaSettings.TOPIC_PREFIX, "it-" + run + ".");
        env.put(EmbedderConfig.GROUP_ID, "embedder-" + run);
        return AppConfig.from(ConfigLookup.of(env));
    }

    /**
     * Runs the pipeline on {@code config}, publishes documents of {@code collection} through the same
     * settings, and checks every one was embedded and stored with both consumer groups caught up.
     */
    void embedsAndStores(AppConfig config, String collection) throws Exception {
        KafkaSettings kafka = config.requireKafka();
        try (Pipeline pipeline = Pipeline.start(config)) {
            try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
                for (int i = 0; i < DOCUMENTS; i++) {
                    publisher.publish(new Document(collection, collection + "-" + i,
                            "A note about the weekly sync, number " + i, Map.of(), 1L));
                }
                publisher.flush();
            }
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                    pipeline.requireHealthy();
                    assertThat(ConsumerLag.of(admin, config.embedder().groupId(), kafka.topic(Topics.DOCUMENTS).name())).isZero();
                    assertThat(ConsumerLag.of(admin, config.writer().groupId(), kafka.topic(Topics.EMBEDDINGS).name())).isZero();
                    assertThat(count("docs_" + collection + "_1")).isEqualTo(DOCUMENTS);
                });
            }
            assertThat(count("vec_" + collection + "_1")).isEqualTo(DOCUMENTS);
        }
    }

    private long count(String table) throws Exception {
        try (Connection c = pg.connect(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + schema + "\"." + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
