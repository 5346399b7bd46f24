package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.embedstream.app.internal.HttpEndpoints;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The status page as a person sees it: loaded in headless Chromium, which runs its script. */
class StatusPageIT {

    @Test
    void shouldShowTheNumbersOfARealRunInABrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")),
                "needs Debian's chromium (scripts/install-chromium.sh; `make test` installs it)");
        // Given a pipeline that embedded and stored 7 documents
        PostgresEndpoint pg = TestInfra.postgres();
        String schema = TestInfra.uniqueSchema("sp");
        String run = UUID.randomUUID().toString().substring(0, 8);
        KafkaSettings kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "page-" + run + ".");
        AppConfig config = new AppConfig(Optional.of(kafka),
                EmbedderConfig.from(ConfigLookup.of(Map.of(EmbedderConfig.GROUP_ID, "e-" + run))),
                ItConfigs.writer(pg, schema, "w-" + run));
        try (Pipeline pipeline = Pipeline.start(config); HttpEndpoints endpoints = HttpEndpoints.start(pipeline, "127.0.0.1", 0)) {
            try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
                for (int i = 0; i < 7; i++) {
                    publisher.publish(new Document("pages", "p-" + i, "Status page document number " + i));
                }
                publisher.flush();
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> pipeline.store().countDocuments("pages") == 7);
            pipeline.coverage().refresh();
            // When the page is loaded in headless Chromium and its script has run
            String dom = dumpDom("http://127.0.0.1:" + endpoints.port() + "/");
            // Then it shows the collection with its 7 documents and the workers' counts
            assertThat(dom).contains("id=\"documents-pages\">7<")
                    .contains("id=\"embedded\">7<")
                    .contains("id=\"written\">7<")
                    .contains("all-minilm-l6-v2@int8/384")
                    .contains("id=\"coverage-pages-active\">100.0%<");
        } finally {
            pg.dropSchema(schema);
        }
    }

    private static String dumpDom(String url) throws Exception {
        Path profile = Files.createTempDirectory("embedstream-chromium-");
        Process p = new ProcessBuilder(List.of("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", url))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return dom;
    }
}
