package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Workers run apart, each in a process of its own, meet through the cluster and the database. */
class WorkerProcessesIT {

    @Test
    void shouldEmbedAndWriteWithTheWorkersInSeparateProcesses() throws SQLException {
        // Given a writer-only process and an embedder-and-maintenance process on one cluster and database
        PostgresEndpoint pg = TestInfra.postgres();
        String schema = TestInfra.uniqueSchema("wpi");
        String run = UUID.randomUUID().toString().substring(0, 8);
        KafkaSettings kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "wp-" + run + ".");
        AppConfig config = new AppConfig(Optional.of(kafka), EmbedderConfig.from(dev.embedstream.contracts.ConfigLookup.of(
                Map.of(EmbedderConfig.GROUP_ID, "e-" + run))), ItConfigs.writer(pg, schema, "w-" + run));
        try (Pipeline writing = Pipeline.start(config, EnumSet.of(Pipeline.Worker.WRITER));
             Pipeline embedding = Pipeline.start(config, EnumSet.of(Pipeline.Worker.EMBEDDER, Pipeline.Worker.MAINTENANCE));
             DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            // When documents are published
            for (int i = 0; i < 20; i++) {
                publisher.publish(new Document("split", "s-" + i, "Note " + i + " written by another process"));
            }
            publisher.flush();
            // Then each process runs only its workers, and together they store every document
            assertThat(writing.embedder()).isNull();
            assertThat(writing.maintenance()).isNull();
            assertThat(embedding.writer()).isNull();
            assertThat(embedding.maintenance()).isNotNull();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
                writing.requireHealthy();
                embedding.requireHealthy();
                return writing.store().countDocuments("split") == 20;
            });
            assertThat(embedding.embedder().stats().embedded()).isEqualTo(20);
            assertThat(writing.writer().stats().written()).isEqualTo(20);
        } finally {
            pg.dropSchema(schema);
        }
    }

    @Test
    void shouldRefuseAnUnknownWorkerWithOneLineNamingTheOption() {
        // When `run` is asked for a worker that does not exist, then it exits 2 before starting anything
        var err = new java.io.ByteArrayOutputStream();
        var old = System.err;
        int code;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            code = Main.execute("run", "--workers", "writer,indexer");
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8).trim())
                .isEqualTo("embedstream: invalid config --workers: 'indexer' is not a worker; use ingest, embedder, writer or maintenance");
    }
}
