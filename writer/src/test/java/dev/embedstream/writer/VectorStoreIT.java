package dev.embedstream.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VectorStoreIT {

    private static final ModelId MODEL = new ModelId("test-model", "fp32", 8, 64);
    private static final ModelId OTHER = new ModelId("other-model", "fp32", 8, 64);

    private PostgresEndpoint pg;
    private String schema;
    private VectorStore store;

    @BeforeEach
    void open() {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("wit");
        store = VectorStore.open(WriterConfig.from(dev.embedstream.contracts.ConfigLookup.of(Map.of(
                WriterConfig.JDBC_URL, pg.jdbcUrl(), WriterConfig.USER, pg.user(),
                WriterConfig.PASSWORD, pg.password(), WriterConfig.SCHEMA, schema))));
    }

    @AfterEach
    void close() throws SQLException {
        store.close();
        pg.dropSchema(schema);
    }

    @Test
    void shouldNotDuplicateRowsWhenABatchIsDeliveredTwice() throws SQLException {
        // Given a batch of 50 documents
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(upsert("d" + i, 1L, "hash" + i, 1));
        }
        // When it is written twice
        WriteResult first = store.write(batch);
        WriteResult second = store.write(batch);
        // Then there is one row per document and the second delivery changed nothing
        assertThat(first.collections().get(0).inserted()).isEqualTo(50);
        assertThat(second.collections().get(0).unchanged()).isEqualTo(50);
        assertThat(count("docs_books_1")).isEqualTo(50);
        assertThat(count("vec_books_1")).isEqualTo(50);
    }

    @Test
    void shouldIgnoreAnOlderVersion() throws SQLException {
        // Given version 5 of a document is stored
        store.write(List.of(upsert("a", 5L, "new", 1)));
        // When version 3 arrives later
        WriteResult result = store.write(List.of(upsert("a", 3L, "old", 1)));
        // Then version 5 stays
        assertThat(result.collections().get(0).stale()).isEqualTo(1);
        assertThat(query("SELECT version || ':' || content_hash FROM \"" + schema + "\".docs_books_1")).isEqualTo("5:new");
    }

    @Test
    void shouldLetALiveChangeWinAfterABrokerResetButNotAnOlderReplay() throws SQLException {
        // Given vectors made from offset 900 of a broker's documents topic
        store.write(List.of(at("a", "old", 900L, false)));
        // When a fresh broker delivers a change at offset 3, then a re-embed replays a copy of offset 2
        WriteResult live = store.write(List.of(at("a", "new", 3L, false)));
        WriteResult replay = store.write(List.of(at("a", "older", 2L, true)));
        // Then the live change is stored and the replay is ignored as stale
        assertThat(live.collections().get(0).replaced()).isEqualTo(1);
        assertThat(replay.collections().get(0).stale()).isEqualTo(1);
        assertThat(query("SELECT content_hash || ':' || source_offset FROM \"" + schema + "\".docs_books_1"))
                .isEqualTo("new:3");
    }

    @Test
    void shouldCountCoverageOfATableWhoseChangeColumnIsACounter() throws SQLException {
        // Given a source table with a bigint revision column and one of its two rows embedded
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            st.execute("CREATE TABLE \"" + schema + "\".src (id bigint PRIMARY KEY, body text NOT NULL, rev bigint)");
            st.execute("INSERT INTO \"" + schema + "\".src VALUES (1, 'one', 17), (2, 'two', 18)");
        }
        store.ensureCollection("books", new dev.embedstream.contracts.TableSource(schema, "src", "id", "{body}", "rev"),
                Generation.PROVIDER_LOCAL, MODEL, 0, 16, 64);
        String hash = dev.embedstream.contracts.ContentHash.ofText("one");
        store.write(List.of(new Change.Upsert(new EmbeddedDocument("books", "1", null, "c1", hash, MODEL, Map.of(),
                List.of(new Chunk(0, "one", vector(new Random(1)))), null, false, null))));
        // When its coverage is measured
        Coverage coverage = store.coverage("books").get(0);
        // Then the counts are exact and no pending age is made up from a counter
        assertThat(coverage.total()).isEqualTo(2);
        assertThat(coverage.current()).isEqualTo(1);
        assertThat(coverage.missing()).isEqualTo(1);
        assertThat(coverage.oldestPending()).isNull();
    }

    @Test
    void shouldStoreEveryFieldOfDocumentsNewToTheCollection() throws SQLException {
        // Given documents no batch has written yet (they are copied straight into place)
        EmbeddedDocument doc = new EmbeddedDocument("books", "a", 4L, "content", "text", MODEL, Map.of("lang", "en"),
                List.of(new Chunk(0, "first", vector(new Random(1))), new Chunk(1, "second", vector(new Random(2)))),
                17L, false, "first second");
        // When they are written
        WriteResult result = store.write(List.of(new Change.Upsert(doc), upsert("b", 1L, "b", 1)));
        // Then both tables hold what the version and content checks of later batches read
        assertThat(result.collections().get(0).inserted()).isEqualTo(2);
        assertThat(result.collections().get(0).chunksWritten()).isEqualTo(3);
        assertThat(query("SELECT concat_ws('|', version, content_hash, text_hash, source_offset, chunk_count, metadata,"
                + " text, embedded_at > now() - interval '1 minute') FROM \"" + schema + "\".docs_books_1 WHERE doc_id = 'a'"))
                .isEqualTo("4|content|text|17|2|{\"lang\": \"en\"}|first second|t");
        assertThat(query("SELECT string_agg(chunk_index || ':' || chunk_text, ',' ORDER BY chunk_index) FROM \""
                + schema + "\".vec_books_1 WHERE doc_id = 'a'")).isEqualTo("0:first,1:second");
        // And a re-delivery of them finds them stored and changes nothing
        assertThat(store.write(List.of(new Change.Upsert(doc))).collections().get(0).unchanged()).isEqualTo(1);
    }

    @Test
    void shouldCompareVersionsWhenABatchMixesNewAndStoredDocuments() throws SQLException {
        // Given version 5 of a document is stored
        store.write(List.of(upsert("a", 5L, "new", 1)));
        // When a batch brings version 3 of it together with a document never seen
        WriteResult result = store.write(List.of(upsert("a", 3L, "old", 1), upsert("b", 1L, "b", 2)));
        // Then the old version is ignored and the new document is stored
        assertThat(result.collections().get(0).stale()).isEqualTo(1);
        assertThat(result.collections().get(0).inserted()).isEqualTo(1);
        assertThat(query("SELECT string_agg(doc_id || ':' || content_hash, ',' ORDER BY doc_id) FROM \"" + schema
                + "\".docs_books_1")).isEqualTo("a:new,b:b");
        assertThat(count("vec_books_1")).isEqualTo(3);
    }

    @Test
    void shouldReplaceVectorsLeftWithoutTheirBookkeepingRow() throws SQLException {
        // Given a vector row whose docs row someone deleted by hand
        store.write(List.of(upsert("a", 1L, "one", 2)));
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            st.execute("DELETE FROM \"" + schema + "\".docs_books_1");
        }
        // When the document is written again
        store.write(List.of(upsert("a", 2L, "two", 1)));
        // Then its chunks are replaced as a set, not refused as duplicates
        assertThat(query("SELECT string_agg(chunk_text, ',') FROM \"" + schema + "\".vec_books_1")).isEqualTo("two part 0");
        assertThat(count("docs_books_1")).isEqualTo(1);
    }

    @Test
    void shouldKeepTheNewestVersionWithinOneBatch() throws SQLException {
        // Given versions 2, 7 and 4 of one document in one batch
        List<Change> batch = List.of(upsert("a", 2L, "v2", 1), upsert("a", 7L, "v7", 1), upsert("a", 4L, "v4", 1));
        // When written
        store.write(batch);
        // Then version 7 is stored
        assertThat(query("SELECT version || ':' || content_hash FROM \"" + schema + "\".docs_books_1")).isEqualTo("7:v7");
    }

    @Test
    void shouldRecreateADocumentDeletedEarlierInTheSameBatch() throws SQLException {
        // Given version 5 of a document is stored
        store.write(List.of(upsert("a", 5L, "v5", 1)));
        // When one batch deletes it and then creates it again as version 1
        store.write(List.of(new Change.Delete(new DocumentKey("books", "a")), upsert("a", 1L, "again", 1)));
        // Then the re-created document is stored, as if the two had been applied one by one
        assertThat(query("SELECT version || ':' || content_hash FROM \"" + schema + "\".docs_books_1")).isEqualTo("1:again");
    }

    @Test
    void shouldReplaceChunksAsASet() throws SQLException {
        // Given a document stored as three chunks
        store.write(List.of(upsert("a", 1L, "long", 3)));
        // When its new version has one chunk
        store.write(List.of(upsert("a", 2L, "short", 1)));
        // Then no chunk of the old version is left behind
        assertThat(count("vec_books_1")).isEqualTo(1);
        assertThat(query("SELECT chunk_count FROM \"" + schema + "\".docs_books_1")).isEqualTo("1");
    }

    @Test
    void shouldDeleteADocumentAndAllItsChunks() throws SQLException {
        // Given two stored documents
        store.write(List.of(upsert("a", 1L, "x", 2), upsert("b", 1L, "y", 1)));
        // When one is deleted
        WriteResult result = store.write(List.of(new Change.Delete(new DocumentKey("books", "a"))));
        // Then only the other remains
        assertThat(result.collections().get(0).deleted()).isEqualTo(1);
        assertThat(count("docs_books_1")).isEqualTo(1);
        assertThat(count("vec_books_1")).isEqualTo(1);
    }

    @Test
    void shouldRejectVectorsOfAnotherModelAndWriteTheRest() throws SQLException {
        // Given a collection created with one model
        store.write(List.of(upsert("a", 1L, "x", 1)));
        // When a batch mixes a document of another model with a valid one
        EmbeddedDocument foreign = new EmbeddedDocument("books", "b", 1L, "y", "y", OTHER, Map.of(),
                List.of(new Chunk(0, "y", vector(new Random(1)))), null, false, null);
        WriteResult result = store.write(List.of(new Change.Upsert(foreign), upsert("c", 1L, "z", 1)));
        // Then the foreign one is rejected with a reason and the other is written
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.position()).isZero();
            assertThat(r.reason()).contains("test-model@fp32/8").contains("other-model@fp32/8").contains("reembed");
        });
        assertThat(count("docs_books_1")).isEqualTo(2);
    }

    @Test
    void shouldRejectVectorsNoIndexCanHoldForANewCollectionAndWriteTheRest() throws SQLException {
        // Given a batch whose first document names a new collection of a 3,072-dimension model
        ModelId wide = new ModelId("wide-model", "fp32", 3072, 8191);
        EmbeddedDocument tooWide = new EmbeddedDocument("wide", "w", 1L, "w", "w", wide, Map.of(),
                List.of(new Chunk(0, "w", new float[3072])), null, false, null);

        // When it is written with a valid document of another collection
        WriteResult result = store.write(List.of(new Change.Upsert(tooWide), upsert("c", 1L, "z", 1)));

        // Then the wide one is rejected, saying why, the collection is not created, and the other is written
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.position()).isZero();
            assertThat(r.reason()).contains("collection 'wide' cannot be created").contains("3072 dimensions")
                    .contains("at most 2000");
        });
        assertThat(store.collection("wide")).isEmpty();
        assertThat(count("docs_books_1")).isEqualTo(1);
    }

    @Test
    void shouldFindTheNearestDocumentThroughTheHnswIndex() {
        // Given 200 documents with random vectors
        Random random = new Random(42);
        List<Change> batch = new ArrayList<>();
        float[] target = null;
        for (int i = 0; i < 200; i++) {
            float[] v = vector(random);
            if (i == 123) {
                target = v;
            }
            batch.add(new Change.Upsert(new EmbeddedDocument("books", "d" + i, 1L, "h" + i, "t" + i, MODEL,
                    Map.of("n", i), List.of(new Chunk(0, "text " + i, v)), null, false, null)));
        }
        store.write(batch);
        // When searching with one document's own vector
        List<SearchHit> hits = store.search("books", target, 5, 40);
        // Then that document comes first with score 1 and its metadata, and the plan uses the index
        assertThat(hits).hasSize(5);
        assertThat(hits.get(0).id()).isEqualTo("d123");
        assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(hits.get(0).metadata()).containsEntry("n", 123);
        assertThat(store.explainSearch("books", target, 5)).contains("Index Scan using vec_books_1_hnsw");
    }

    @Test
    void shouldMigrateACatalogOfThePreviewsInPlace() throws SQLException {
        // Given a schema as the 0.1 previews left it: one model per collection, one stored document
        String old = TestInfra.uniqueSchema("wold");
        String q = "\"" + old + "\"";
        try (Connection c = pg.connect(); var st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + q);
            st.execute("CREATE TABLE " + q + ".collections (name text PRIMARY KEY, model_name text NOT NULL,"
                    + " model_variant text NOT NULL, dimensions int NOT NULL, max_tokens int NOT NULL,"
                    + " docs_table text NOT NULL, vector_table text NOT NULL, index_name text NOT NULL,"
                    + " hnsw_m int NOT NULL, hnsw_ef_construction int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            st.execute("INSERT INTO " + q + ".collections VALUES ('books', 'test-model', 'fp32', 8, 64, 'docs_books',"
                    + " 'vec_books_1', 'vec_books_1_hnsw', 16, 64, now())");
            st.execute("CREATE TABLE " + q + ".docs_books (doc_id text PRIMARY KEY, version bigint, content_hash text NOT NULL,"
                    + " chunk_count int NOT NULL, metadata jsonb NOT NULL DEFAULT '{}', embedded_at timestamptz NOT NULL DEFAULT now())");
            st.execute("CREATE TABLE " + q + ".vec_books_1 (doc_id text NOT NULL, chunk_index int NOT NULL,"
                    + " chunk_text text NOT NULL, embedding vector(8) NOT NULL, PRIMARY KEY (doc_id, chunk_index))");
            st.execute("INSERT INTO " + q + ".docs_books (doc_id, version, content_hash, chunk_count) VALUES ('a', 1, 'h', 1)");
            st.execute("INSERT INTO " + q + ".vec_books_1 VALUES ('a', 0, 'x', '[1,0,0,0,0,0,0,0]')");
        }
        try (VectorStore migrated = VectorStore.open(store.config().withSchema(old))) {
            // Then the collection is generation 1 of its model, its rows kept, and new writes land beside them
            assertThat(migrated.collection("books").orElseThrow().active().docsTable()).isEqualTo("docs_books");
            assertThat(migrated.countDocuments("books")).isEqualTo(1);
            migrated.write(List.of(upsert("b", 1L, "new", 1)));
            assertThat(migrated.countDocuments("books")).isEqualTo(2);
            assertThat(migrated.search("books", new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 1, 40)).singleElement()
                    .extracting(SearchHit::id).isEqualTo("a");
        } finally {
            pg.dropSchema(old);
        }
    }

    @Test
    void shouldRefuseAnUnsafeCollectionName() {
        // When a collection name carries SQL metacharacters
        // Then it is refused before any SQL runs
        assertThatThrownBy(() -> new DocumentKey("books\"; DROP TABLE x; --", "a"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("invalid collection name");
    }

    private static Change upsert(String id, Long version, String hash, int chunks) {
        Random random = new Random(hash.hashCode());
        List<Chunk> list = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            list.add(new Chunk(i, hash + " part " + i, vector(random)));
        }
        return new Change.Upsert(new EmbeddedDocument("books", id, version, hash, hash, MODEL, Map.of(), list, null, false, null));
    }

    private static Change at(String id, String hash, long offset, boolean replayed) {
        return new Change.Upsert(new EmbeddedDocument("books", id, null, hash, hash, MODEL, Map.of(),
                List.of(new Chunk(0, hash, vector(new Random(hash.hashCode())))), offset, replayed, null));
    }

    private static float[] vector(Random random) {
        float[] v = new float[MODEL.dimensions()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private long count(String table) throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM \"" + schema + "\"." + table));
    }

    private String query(String sql) throws SQLException {
        try (Connection c = pg.connect(); var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
