package dev.embedstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.embedstream.app.internal.HttpEndpoints;
import dev.embedstream.client.ClientConfig;
import dev.embedstream.client.ClientDocument;
import dev.embedstream.client.EmbedstreamClient;
import dev.embedstream.client.PublishAck;
import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.ConsumerLag;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.KafkaSettings;
import dev.embedstream.contracts.Topics;
import dev.embedstream.embedder.EmbedderConfig;
import dev.embedstream.ingest.DebeziumSource;
import dev.embedstream.ingest.DebeziumSourceConfig;
import dev.embedstream.ingest.DocumentPublisher;
import dev.embedstream.ingest.HttpIngest;
import dev.embedstream.ingest.HttpIngestConfig;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import dev.embedstream.writer.WriterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ways documents come in, each end to end on a real broker, a real PostgreSQL and the local
 * model: the HTTP publish API, the Java client, and a table's Debezium change topic.
 */
class IngestApiIT {

    private static final int N = 60;

    private PostgresEndpoint pg;
    private String schema;
    private KafkaSettings kafka;
    private AppConfig config;
    private Pipeline pipeline;
    private HttpEndpoints http;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("ingest");
        String run = UUID.randomUUID().toString().substring(0, 8);
        kafka = new KafkaSettings(TestInfra.kafkaBootstrapServers(), "it", "it-" + run + ".");
        WriterConfig writer = ItConfigs.writer(pg, schema, "writer-" + run);
        EmbedderConfig embedder = EmbedderConfig.from(ConfigLookup.of(Map.of(EmbedderConfig.GROUP_ID, "embedder-" + run)));
        config = new AppConfig(Optional.of(kafka), embedder, writer);
        pipeline = Pipeline.start(config);
        http = HttpEndpoints.start(pipeline, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws SQLException {
        http.close();
        pipeline.close();
        pg.dropSchema(schema);
    }

    @Test
    void shouldLandEveryDocumentPostedAsAJsonArrayOrAsNdjson() throws Exception {
        // Given N documents as a JSON array and N more as NDJSON
        List<Map<String, Object>> array = new ArrayList<>();
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < N; i++) {
            array.add(Map.of("id", "a-" + i, "text", "Array document " + i + " about " + topic(i), "metadata", Map.of("i", i)));
            ndjson.append(Json.writeString(Map.of("id", "n-" + i, "text", "Line document " + i + " about " + topic(i))))
                    .append('\n');
        }

        // When both are posted
        HttpResponse<String> first = post("notes", Json.writeString(array));
        HttpResponse<String> second = post("notes", ndjson.toString());

        // Then each reply comes after Kafka's acknowledgement of every document, and all N + N land as rows
        for (HttpResponse<String> reply : List.of(first, second)) {
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            JsonNode body = Json.MAPPER.readTree(reply.body());
            assertThat(body.get("accepted").asInt()).isEqualTo(N);
            assertThat(body.get("rejected").asInt()).isZero();
            body.get("results").forEach(r -> {
                assertThat(r.get("status").asText()).isEqualTo("accepted");
                assertThat(r.get("offset").asLong()).isNotNegative();
            });
        }
        awaitRows("notes", 2 * N);
    }

    @Test
    void shouldRejectEachBadInputWithItsReasonAndStillLandTheValidOnes() throws Exception {
        // Given NDJSON mixing valid documents with malformed JSON, a missing id, empty text, another
        // collection's document and a 2 MB text
        String big = "x".repeat(2 * 1024 * 1024);
        String body = String.join("\n",
                "{\"id\":\"ok-1\",\"text\":\"The first valid note\"}",
                "{\"id\":\"broken\",\"text\":",
                "{\"text\":\"no id here\"}",
                "{\"id\":\"empty\",\"text\":\"   \"}",
                "{\"collection\":\"other\",\"id\":\"elsewhere\",\"text\":\"wrong place\"}",
                "{\"id\":\"huge\",\"text\":\"" + big + "\"}",
                "{\"id\":\"ok-2\",\"text\":\"The second valid note\"}");

        // When it is posted
        HttpResponse<String> reply = post("notes", body);

        // Then the reply lists each input's fate, and only the two valid documents land
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        JsonNode results = Json.MAPPER.readTree(reply.body()).get("results");
        assertThat(statuses(results)).containsExactly("accepted", "rejected", "rejected", "rejected", "rejected",
                "rejected", "accepted");
        assertThat(results.get(1).get("reason").asText()).containsIgnoringCase("json");
        assertThat(results.get(2).get("reason").asText()).contains("id");
        assertThat(results.get(3).get("reason").asText()).contains("empty text");
        assertThat(results.get(4).get("reason").asText()).contains("'other'").contains("'notes'");
        assertThat(results.get(5).get("reason").asText()).contains("over the limit");
        awaitRows("notes", 2);
        assertThat(ids("notes")).containsExactlyInAnyOrder("ok-1", "ok-2");
    }

    @Test
    void shouldAnswerRequestLevelErrorsWithTheirDocumentedStatus() throws Exception {
        // Given / When / Then: a bad collection name, a malformed JSON array, an oversized body, a wrong method
        HttpResponse<String> badName = post("bad%3B%20DROP%20TABLE", "{\"id\":\"x\",\"text\":\"t\"}");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("collection");

        HttpResponse<String> malformed = post("notes", "[{\"id\":\"a\",\"text\":\"fine\"}, {\"id\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("malformed JSON").contains("JSON array").contains("NDJSON");

        String oversized = "{\"id\":\"x\",\"text\":\"" + "y".repeat(HttpIngestConfig.DEFAULT_MAX_BODY_BYTES) + "\"}";
        HttpResponse<String> tooLarge = post("notes", oversized);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains(HttpIngestConfig.MAX_BODY_BYTES);

        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(uri("/v1/collections/notes/documents")).GET().build());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
        assertThat(count("notes")).isZero();
    }

    @Test
    void shouldReadAChunkedBodyWholeAndRefuseOneThatAlsoDeclaresALength() throws Exception {
        // Given a body sent in two chunks, once alone and once with a Content-Length that contradicts it
        // (the request-smuggling shape; the JDK's own client never sends both, so the requests are by hand)
        String chunked = "{\"id\":\"chunked-1\",\"text\":\"A body sent in two chunks\"}\n";
        String conflicting = "{\"id\":\"chunked-2\",\"text\":\"A body whose headers disagree\"}\n";

        // When both are sent
        String whole = rawChunkedPost("notes", chunked, "");
        String refused = rawChunkedPost("notes", conflicting, "Content-Length: 5\r\n");

        // Then the chunked body was read whole and its document accepted; the conflicting request was
        // refused before any of it was read (the JDK's server answers 400 itself), and nothing of it landed
        assertThat(whole).startsWith("HTTP/1.1 200").contains("\"accepted\":1").contains("\"rejected\":0");
        assertThat(refused).startsWith("HTTP/1.1 400");
        awaitRows("notes", 1);
        assertThat(ids("notes")).containsExactly("chunked-1");
    }

    private String rawChunkedPost(String collection, String body, String extraHeaders) throws Exception {
        String first = body.substring(0, 20);
        String second = body.substring(20);
        String request = "POST /v1/collections/" + collection + "/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n" + extraHeaders
                + "Connection: close\r\n\r\n" + Integer.toHexString(first.length()) + "\r\n" + first + "\r\n"
                + Integer.toHexString(second.length()) + "\r\n" + second + "\r\n0\r\n\r\n";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", http.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldDeleteADocumentThroughTheApi() throws Exception {
        // Given two documents that landed
        assertThat(post("notes", "{\"id\":\"keep\",\"text\":\"A note to keep\"}\n{\"id\":\"drop me\",\"text\":\"A note to drop\"}")
                .statusCode()).isEqualTo(200);
        awaitRows("notes", 2);

        // When one is deleted (its id needs URL encoding)
        HttpResponse<String> reply = send(HttpRequest.newBuilder(uri("/v1/collections/notes/documents/drop%20me"))
                .DELETE().build());

        // Then its row goes, the other stays
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(reply.body()).get("results").get(0).get("operation").asText()).isEqualTo("delete");
        awaitRows("notes", 1);
        assertThat(ids("notes")).containsExactly("keep");
    }

    @Test
    void shouldRequireTheBearerTokenWhenOneIsConfigured() throws Exception {
        // Given the API mounted with a token
        String token = "t0ken-" + UUID.randomUUID();
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext(HttpIngest.PATH, new HttpIngest(publisher, new HttpIngestConfig(token,
                    HttpIngestConfig.DEFAULT_MAX_BODY_BYTES, HttpIngestConfig.DEFAULT_MAX_IN_FLIGHT_BYTES, 1)));
            server.start();
            try {
                URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/collections/notes/documents");
                String doc = "{\"id\":\"secret\",\"text\":\"Only with the token\"}";

                // When posted without, with a wrong and with the right token
                var without = send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(doc)).build());
                var wrong = send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer nope")
                        .POST(HttpRequest.BodyPublishers.ofString(doc)).build());
                var right = send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString(doc)).build());

                // Then only the last is accepted, and the refusals do not echo the token
                assertThat(without.statusCode()).isEqualTo(401);
                assertThat(without.headers().firstValue("WWW-Authenticate")).contains("Bearer");
                assertThat(wrong.statusCode()).isEqualTo(401);
                assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
                assertThat(without.body() + wrong.body() + right.body()).doesNotContain(token);
                awaitRows("notes", 1);
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void shouldAnswer429WithRetryAfterWhileTooManyBytesAwaitKafkaAndFailRatherThanLoseTheStuckOnes() throws Exception {
        // Given the API in front of a broker that does not answer, with room for one large request only
        int limit = dev.embedstream.contracts.Document.MAX_TEXT_BYTES + 64 * 1024;
        KafkaSettings nowhere = new KafkaSettings("127.0.0.1:9", "it", kafka.topicPrefix());
        try (DocumentPublisher publisher = new DocumentPublisher(nowhere)) {
            HttpIngest ingest = new HttpIngest(publisher, new HttpIngestConfig(null, limit, limit, 7));
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext(HttpIngest.PATH, ingest);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
            server.start();
            try {
                URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/collections/notes/documents");
                var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
                ingest.bindTo(meters);

                // When a first request waits for Kafka and a second large one arrives meanwhile
                CompletableFuture<HttpResponse<String>> first = client.sendAsync(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"a\",\"text\":\"" + "w".repeat(200_000)
                                + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        meters.get("embedstream.ingest.http.in.flight").gauge().value() > 0);
                HttpResponse<String> second = send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"id\":\"b\",\"text\":\"" + "v".repeat(400_000) + "\"}")).build());

                // Then the second is told to come back later, and the first fails (retryable) instead of hanging
                assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
                assertThat(second.headers().firstValue("Retry-After")).contains("7");
                assertThat(meters.get("embedstream.ingest.http.throttled").functionCounter().count()).isEqualTo(1);
                HttpResponse<String> stuck = first.get(2, java.util.concurrent.TimeUnit.MINUTES);
                assertThat(stuck.statusCode()).as(stuck.body()).isEqualTo(503);
                assertThat(stuck.headers().firstValue("Retry-After")).contains("7");
                JsonNode result = Json.MAPPER.readTree(stuck.body()).get("results").get(0);
                assertThat(result.get("status").asText()).isEqualTo("failed");
                assertThat(result.get("reason").asText()).contains("Kafka did not acknowledge");
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void shouldLandEveryDocumentPublishedWithTheJavaClient() throws Exception {
        // Given the client configured like the workers
        Map<String, String> env = Map.of(ClientConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                ClientConfig.TOPIC_PREFIX, kafka.topicPrefix());
        List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
        try (EmbedstreamClient c = EmbedstreamClient.create(ClientConfig.from(env::get))) {
            // When N documents are published and one of them deleted again
            for (int i = 0; i < N; i++) {
                acks.add(c.publish("notes", ClientDocument.of("c-" + i, "Client document " + i + " about " + topic(i))
                        .withMetadata(Map.of("i", i)).withVersion(1)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
            awaitRows("notes", N);
            PublishAck deleted = c.delete("notes", "c-0").get();

            // Then every publish was acknowledged, all N landed, and the delete removed its row
            assertThat(acks).allSatisfy(a -> assertThat(a.join().offset()).isNotNegative());
            assertThat(deleted.delete()).isTrue();
        }
        awaitRows("notes", N - 1);
        assertThat(ids("notes")).doesNotContain("c-0").contains("c-1", "c-" + (N - 1));
    }

    @Test
    void shouldMirrorATableFromItsDebeziumChangeTopic() throws Exception {
        // Given a Debezium change topic of a products table and a source mapped onto it
        String topic = "dbserver1.inventory.products-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        Map<String, String> env = Map.of(DebeziumSourceConfig.TOPICS, topic, DebeziumSourceConfig.COLLECTION, "products",
                DebeziumSourceConfig.KEY_COLUMNS, "id", DebeziumSourceConfig.TEXT_COLUMNS, "name,description",
                DebeziumSourceConfig.METADATA_COLUMNS, "category",
                DebeziumSourceConfig.APPLICATION_ID, "it-debezium-" + UUID.randomUUID().toString().substring(0, 8));
        Map<Integer, Map<String, Object>> table = new LinkedHashMap<>();
        try (DebeziumSource source = DebeziumSource.start(kafka, DebeziumSourceConfig.from(env::get));
             var producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            // When rows are snapshotted and inserted, some descriptions updated, some prices only, some deleted
            for (int id = 1; id <= 30; id++) {
                Map<String, Object> row = row(id, "Product " + id, "A " + topic(id) + " kit, model " + id, 10 + id);
                table.put(id, row);
                producer.send(change(topic, id, id <= 10 ? "r" : "c", null, row));
            }
            for (int id = 1; id <= 5; id++) {
                Map<String, Object> after = new LinkedHashMap<>(table.get(id));
                after.put("description", "Revised: a " + topic(id + 1) + " set, second edition");
                producer.send(change(topic, id, "u", table.get(id), after));
                table.put(id, after);
            }
            for (int id = 6; id <= 10; id++) {
                Map<String, Object> after = new LinkedHashMap<>(table.get(id));
                after.put("price", 99);
                producer.send(change(topic, id, "u", table.get(id), after));
                table.put(id, after);
            }
            for (int id = 11; id <= 13; id++) {
                producer.send(change(topic, id, "d", table.remove(id), null));
                producer.send(new ProducerRecord<>(topic, key(id), null));
            }
            // and one row's text columns emptied: nothing to embed, so its document goes
            Map<String, Object> emptied = new LinkedHashMap<>(table.get(14));
            emptied.put("name", "");
            emptied.put("description", null);
            producer.send(change(topic, 14, "u", table.remove(14), emptied));
            producer.flush();

            // Then the collection holds exactly the table's rows with their current text, and the
            // price-only updates were skipped rather than re-embedded
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                assertThat(source.isRunning()).isTrue();
                pipeline.requireHealthy();
                assertThat(source.counters().skipped()).isEqualTo(5);
                assertThat(source.counters().deleted()).isGreaterThanOrEqualTo(4);
                assertThat(texts("products")).isEqualTo(expectedTexts(table));
            });
            assertThat(source.counters().deadLettered()).isZero();
            assertThat(source.counters().published()).isEqualTo(35);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static Map<String, Object> row(int id, String name, String description, int price) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("description", description);
        row.put("price", price);
        row.put("category", id % 3 == 0 ? "tools" : "toys");
        return row;
    }

    /**
     * A change event as Debezium's JSON converter writes it: even ids with the schema wrapper, odd ids
     * without (one row's events always alike: the key's bytes choose its partition, hence its order).
     */
    private static ProducerRecord<String, String> change(String topic, int id, String op, Map<String, Object> before,
            Map<String, Object> after) {
        boolean withSchemas = id % 2 == 0;
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("before", before);
        payload.put("after", after);
        payload.put("source", Map.of("version", "2.7.0.Final", "connector", "postgresql", "name", "dbserver1",
                "db", "inventory", "schema", "public", "table", "products", "lsn", 1000L + id));
        payload.put("op", op);
        payload.put("ts_ms", 1_700_000_000_000L + id);
        Object value = withSchemas ? Map.of("schema", Map.of("type", "struct", "name", "dbserver1.inventory.products.Envelope",
                "optional", false), "payload", payload) : payload;
        return new ProducerRecord<>(topic, key(id), Json.writeString(value));
    }

    private static String key(int id) {
        Map<String, Object> key = Map.of("id", id);
        return Json.writeString(id % 2 == 0 ? Map.of("schema", Map.of("type", "struct", "fields",
                List.of(Map.of("field", "id", "type", "int32", "optional", false))), "payload", key) : key);
    }

    private static Map<String, String> expectedTexts(Map<Integer, Map<String, Object>> table) {
        Map<String, String> texts = new HashMap<>();
        table.forEach((id, row) -> texts.put(String.valueOf(id), row.get("name") + "\n\n" + row.get("description")));
        return texts;
    }

    private HttpResponse<String> post(String collection, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/collections/" + collection + "/documents"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }

    private static List<String> statuses(JsonNode results) {
        List<String> statuses = new ArrayList<>();
        results.forEach(r -> statuses.add(r.get("status").asText()));
        return statuses;
    }

    private static String topic(int i) {
        String[] topics = {"gardening", "tax returns", "bicycle repair", "sourdough", "astronomy"};
        return topics[i % topics.length];
    }

    private void awaitRows(String collection, long rows) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                pipeline.requireHealthy();
                assertThat(ConsumerLag.of(admin, config.embedder().groupId(), kafka.topic(Topics.DOCUMENTS).name())).isZero();
                assertThat(ConsumerLag.of(admin, config.writer().groupId(), kafka.topic(Topics.EMBEDDINGS).name())).isZero();
                assertThat(count(collection)).isEqualTo(rows);
            });
        }
    }

    private long count(String collection) throws SQLException {
        return ids(collection).size();
    }

    private List<String> ids(String collection) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (String[] row : rows(collection)) {
            ids.add(row[0]);
        }
        return ids;
    }

    private Map<String, String> texts(String collection) throws SQLException {
        Map<String, String> texts = new HashMap<>();
        for (String[] row : rows(collection)) {
            texts.put(row[0], row[1]);
        }
        return texts;
    }

    /** (doc id, text) of a collection's active generation; none when it does not exist yet. */
    private List<String[]> rows(String collection) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = pg.connect(); ResultSet rs = c.getMetaData().getTables(null, schema, "vec_" + collection + "_1", null)) {
            if (!rs.next()) {
                return rows;
            }
        }
        try (Connection c = pg.connect(); var st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT doc_id, string_agg(chunk_text, ' ' ORDER BY chunk_index) FROM \""
                     + schema + "\".vec_" + collection + "_1 GROUP BY doc_id")) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return rows;
    }
}
