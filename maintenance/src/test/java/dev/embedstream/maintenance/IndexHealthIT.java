package dev.embedstream.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class IndexHealthIT {

    private static final int ROWS = 30;

    private PostgresEndpoint pg;
    private PGSimpleDataSource dataSource;
    private String schema;
    private IndexHealth health;

    @BeforeEach
    void createCollection() throws SQLException {
        pg = TestInfra.postgres();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(pg.jdbcUrl());
        dataSource.setUser(pg.user());
        dataSource.setPassword(pg.password());
        schema = TestInfra.uniqueSchema("mit");
        // The shape the writer's Catalog creates: a catalog, a docs table, a vector table with an HNSW index
        sql("CREATE SCHEMA " + q(schema),
                "CREATE TABLE " + q(schema) + ".collections (name text PRIMARY KEY, active_generation int NOT NULL,"
                        + " source jsonb, created_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE " + q(schema) + ".generations (collection text NOT NULL, generation int NOT NULL,"
                        + " provider text NOT NULL, model_name text NOT NULL, model_variant text NOT NULL,"
                        + " dimensions int NOT NULL, max_tokens int NOT NULL, chunk_overlap int NOT NULL,"
                        + " docs_table text NOT NULL, vector_table text NOT NULL, index_name text NOT NULL,"
                        + " hnsw_m int NOT NULL, hnsw_ef_construction int NOT NULL, state text NOT NULL,"
                        + " index_built boolean NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),"
                        + " activated_at timestamptz, PRIMARY KEY (collection, generation))",
                "INSERT INTO " + q(schema) + ".collections (name, active_generation) VALUES ('x', 1)",
                "INSERT INTO " + q(schema) + ".generations (collection, generation, provider, model_name, model_variant,"
                        + " dimensions, max_tokens, chunk_overlap, docs_table, vector_table, index_name, hnsw_m,"
                        + " hnsw_ef_construction, state, index_built) VALUES ('x', 1, 'local', 'test-model', 'fp32', 3, 64,"
                        + " 32, 'docs_x', 'vec_x_1', 'vec_x_1_hnsw', 8, 32, 'active', true)",
                "CREATE TABLE " + q(schema) + ".docs_x (doc_id text PRIMARY KEY, version bigint,"
                        + " content_hash text NOT NULL, chunk_count int NOT NULL,"
                        + " metadata jsonb NOT NULL DEFAULT '{}', embedded_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE " + q(schema) + ".vec_x_1 (doc_id text, chunk_index int, chunk_text text,"
                        + " embedding vector(3), PRIMARY KEY (doc_id, chunk_index))",
                // Every third chunk text repeats, so a UNIQUE index on chunk_text cannot be built
                "INSERT INTO " + q(schema) + ".vec_x_1 SELECT 'd' || g, 0, 'text ' || (g % 3),"
                        + " ARRAY[g, g % 7 + 1, 1]::real[]::vector FROM generate_series(1, " + ROWS + ") g",
                "INSERT INTO " + q(schema) + ".docs_x SELECT 'd' || g, 1, 'same', 1 FROM generate_series(1, 3) g",
                "CREATE INDEX vec_x_1_hnsw ON " + q(schema) + ".vec_x_1"
                        + " USING hnsw (embedding vector_cosine_ops) WITH (m = 8, ef_construction = 32)");
        health = new IndexHealth(dataSource, schema);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + q(schema) + " CASCADE");
    }

    @Test
    void shouldReportTheValidHnswIndexWithItsBuildOptionsSizeAndTableChurn() throws SQLException {
        // Given a collection of 30 chunks with an HNSW index built with m = 8, ef_construction = 32,
        // of which 2 chunks were deleted
        sql("DELETE FROM " + q(schema) + ".vec_x_1 WHERE doc_id IN ('d1', 'd2')");
        // When its health is checked
        // Then (once the table statistics caught up) the index is reported valid, with its options and size
        long size = queryLong("SELECT pg_relation_size('" + q(schema) + ".vec_x_1_hnsw')");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(health.check().indexes()).singleElement().satisfies(index -> {
                    assertThat(index.collection()).isEqualTo("x");
                    assertThat(index.table()).isEqualTo("vec_x_1");
                    assertThat(index.index()).isEqualTo("vec_x_1_hnsw");
                    assertThat(index.method()).isEqualTo("hnsw");
                    assertThat(index.valid()).isTrue();
                    assertThat(index.ready()).isTrue();
                    assertThat(index.isInvalid()).isFalse();
                    assertThat(index.m()).isEqualTo(8);
                    assertThat(index.efConstruction()).isEqualTo(32);
                    assertThat(index.sizeBytes()).isPositive().isEqualTo(size);
                    assertThat(index.liveTuples()).isEqualTo(ROWS - 2);
                    assertThat(index.deadTuples()).isEqualTo(2);
                }));
        HealthReport report = health.check();
        assertThat(report.serverVersion()).isEqualTo(queryString("SHOW server_version"));
        assertThat(report.invalidIndexes()).isEmpty();
        assertThat(report.warnings()).allMatch(w -> w.startsWith("pgvector "), "only version warnings");
    }

    @Test
    void shouldExplainWhatTheInstalledPgvectorVersionMeans() throws SQLException {
        // Given the server's pgvector (0.8.0 on the local cluster)
        PgvectorVersion installed = PgvectorVersion.parse(
                queryString("SELECT extversion FROM pg_extension WHERE extname = 'vector'"));
        // When its health is checked
        HealthReport report = health.check();
        // Then the version is reported, with a warning for each fix it lacks
        assertThat(report.pgvector()).isEqualTo(installed);
        String parallel = "pgvector " + installed + " < 0.8.2: HNSW indexes are built without parallel workers"
                + " (CVE-2026-3172)";
        String vacuum = "pgvector " + installed + " < 0.8.4: vacuuming an HNSW index beside inserts can corrupt it,"
                + " so HNSW tables are reindexed before vacuum (pgvector#993)";
        if (installed.parallelHnswBuildSafe()) {
            assertThat(report.warnings()).doesNotContain(parallel);
        } else {
            assertThat(report.warnings()).contains(parallel);
        }
        if (installed.hnswVacuumSafeBesideInserts()) {
            assertThat(report.warnings()).doesNotContain(vacuum);
        } else {
            assertThat(report.warnings()).contains(vacuum);
        }
        if (installed.equals(new PgvectorVersion(0, 8, 0))) {
            assertThat(report.warnings()).containsExactly(parallel, vacuum);
        }
    }

    @Test
    void shouldDetectAnIndexLeftInvalidByAFailedConcurrentBuildAndDropIt() throws SQLException {
        // Given a UNIQUE index built concurrently over duplicate chunk texts: the build fails and leaves
        // an invalid index behind; and the same on the docs table, which is not a vector table
        assertThatThrownBy(() -> sql("CREATE UNIQUE INDEX CONCURRENTLY vec_x_1_text ON " + q(schema)
                + ".vec_x_1 (chunk_text)")).isInstanceOf(SQLException.class).hasMessageContaining("duplicated");
        assertThatThrownBy(() -> sql("CREATE UNIQUE INDEX CONCURRENTLY docs_x_hash ON " + q(schema)
                + ".docs_x (content_hash)")).isInstanceOf(SQLException.class).hasMessageContaining("duplicated");
        // When its health is checked
        HealthReport report = health.check();
        // Then the invalid index of the vector table is reported, with a warning naming it
        assertThat(health.invalidIndexes()).singleElement().satisfies(index -> {
            assertThat(index.index()).isEqualTo("vec_x_1_text");
            assertThat(index.table()).isEqualTo("vec_x_1");
            assertThat(index.method()).isEqualTo("btree");
            assertThat(index.valid()).isFalse();
            assertThat(index.buildInProgress()).isFalse();
            assertThat(index.m()).isNull();
        });
        assertThat(report.invalidIndexes()).extracting(IndexReport::index).containsExactly("vec_x_1_text");
        assertThat(report.indexes()).extracting(IndexReport::index).containsExactly("vec_x_1_hnsw", "vec_x_1_text");
        assertThat(report.warnings()).filteredOn(w -> !w.startsWith("pgvector ")).singleElement()
                .asString().contains("'vec_x_1_text'", "vec_x_1", "collection 'x'", "invalid", "pgvector#925");

        // When the invalid indexes are dropped
        int dropped = health.dropInvalid();
        // Then exactly that one is gone; the HNSW index and the docs table's index are untouched
        assertThat(dropped).isEqualTo(1);
        assertThat(indexesOf("vec_x_1")).containsExactlyInAnyOrder("vec_x_1_pkey", "vec_x_1_hnsw");
        assertThat(indexesOf("docs_x")).containsExactlyInAnyOrder("docs_x_pkey", "docs_x_hash");
        assertThat(health.invalidIndexes()).isEmpty();
        assertThat(health.check().indexes()).extracting(IndexReport::index).containsExactly("vec_x_1_hnsw");
        assertThat(health.dropInvalid()).isZero();
    }

    @Test
    void shouldDetectAnHnswIndexLeftInvalidByAFailedConcurrentBuild() throws SQLException {
        // Given an HNSW build that fails on every row (a 3-dimension vector cast to 2 dimensions)
        assertThatThrownBy(() -> sql("CREATE INDEX CONCURRENTLY vec_x_1_bad ON " + q(schema) + ".vec_x_1"
                + " USING hnsw ((embedding::vector(2)) vector_l2_ops) WITH (m = 4, ef_construction = 16)"))
                .isInstanceOf(SQLException.class).hasMessageContaining("expected 2 dimensions");
        // When its health is checked
        List<IndexReport> invalid = health.invalidIndexes();
        // Then the half-built HNSW index is reported invalid, with its options, and dropped on request
        assertThat(invalid).singleElement().satisfies(index -> {
            assertThat(index.index()).isEqualTo("vec_x_1_bad");
            assertThat(index.isHnsw()).isTrue();
            assertThat(index.valid()).isFalse();
            assertThat(index.m()).isEqualTo(4);
            assertThat(index.efConstruction()).isEqualTo(16);
        });
        assertThat(health.dropInvalid()).isEqualTo(1);
        assertThat(indexesOf("vec_x_1")).containsExactlyInAnyOrder("vec_x_1_pkey", "vec_x_1_hnsw");
    }

    @Test
    void shouldWarnWhenTheIndexOfACollectionIsMissing() throws SQLException {
        // Given a collection whose HNSW index was dropped
        sql("DROP INDEX " + q(schema) + ".vec_x_1_hnsw");
        // When its health is checked
        HealthReport report = health.check();
        // Then the report says searches now scan the whole table
        assertThat(report.indexes()).isEmpty();
        assertThat(report.warnings()).filteredOn(w -> !w.startsWith("pgvector ")).singleElement()
                .asString().contains("collection 'x'", "'vec_x_1_hnsw'", "does not exist", "scan the whole table");
    }

    @Test
    void shouldReportNothingToCheckInASchemaWithoutCatalog() {
        // Given a schema name with no catalog in it
        IndexHealth empty = new IndexHealth(dataSource, TestInfra.uniqueSchema("mit_none"));
        // When checked and cleaned
        HealthReport report = empty.check();
        // Then there is nothing to report or drop, and the report says why
        assertThat(report.indexes()).isEmpty();
        assertThat(report.warnings()).anyMatch(w -> w.contains("no collections catalog"));
        assertThat(empty.dropInvalid()).isZero();
    }

    @Test
    void shouldRefuseAnUnsafeSchemaName() {
        // When the schema name carries SQL metacharacters
        // Then it is refused before any SQL runs
        assertThatThrownBy(() -> new IndexHealth(dataSource, "x\"; DROP SCHEMA public; --"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unsafe SQL identifier");
    }

    private List<String> indexesOf(String table) throws SQLException {
        try (Connection c = pg.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> names = new java.util.ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
                return names;
            }
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private String queryString(String sql) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long queryLong(String sql) throws SQLException {
        return Long.parseLong(queryString(sql));
    }

    private static String q(String identifier) {
        return "\"" + identifier + "\"";
    }
}
