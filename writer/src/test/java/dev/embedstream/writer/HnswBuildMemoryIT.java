package dev.embedstream.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.embedstream.contracts.ConfigLookup;
import dev.embedstream.contracts.HnswBuildMemory;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.testkit.PostgresEndpoint;
import dev.embedstream.testkit.TestInfra;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The build-memory estimate against pgvector itself: with it the graph fits, with less it does not. */
class HnswBuildMemoryIT {

    private PostgresEndpoint pg;
    private String schema;

    @BeforeEach
    void open() throws SQLException {
        pg = TestInfra.postgres();
        schema = TestInfra.uniqueSchema("hbm");
        pg.createSchema(schema);
    }

    @AfterEach
    void close() throws SQLException {
        pg.dropSchema(schema);
    }

    // As many rows as the estimate gives 16 MB for: pgvector counts a serial build's memory in 1 MB
    // blocks, so at a few MB the rounding, not the estimate, would decide.
    @ParameterizedTest(name = "{0} dimensions, m = {1}")
    @CsvSource({"384, 16", "384, 8", "1536, 16", "128, 32"})
    void shouldKeepTheWholeGraphInMemoryWithTheEstimate(int dimensions, int m) throws SQLException {
        // Given a table of random vectors
        int rows = (int) Math.ceil(16.0 * (1 << 20) * 1000 / HnswBuildMemory.bytes(1000, dimensions, m));
        String table = table(dimensions, rows);

        // When the index is built with the estimate
        Optional<String> outgrown = build(table, m, HnswBuildMemory.bytes(rows, dimensions, m) / 1024);

        // Then pgvector kept the whole graph in memory
        assertThat(outgrown).as("%,d rows", rows).isEmpty();
    }

    @Test
    void shouldReportPgvectorsNoticeWhenTheGraphOutgrowsItsMemory() throws SQLException {
        // Given 1,500 384-d vectors, whose graph pgvector 0.8.0 builds in ~3.5 MB
        String table = table(384, 1500);

        // When the index is built with two thirds of the estimate (~2.8 MB)
        Optional<String> outgrown = build(table, 16, HnswBuildMemory.bytes(1500, 384, 16) / 1024 * 2 / 3);

        // Then the build's notice says so
        assertThat(outgrown).get().asString().contains("no longer fits into maintenance_work_mem after");
    }

    @Test
    void shouldBuildADeferredIndexWithMemorySizedToTheTable() throws SQLException {
        // Given a new table collection, bulk-loaded without its index
        ModelId model = new ModelId("test-model", "fp32", 384, 256);
        try (VectorStore store = VectorStore.open(WriterConfig.from(ConfigLookup.of(Map.of(
                WriterConfig.JDBC_URL, pg.jdbcUrl(), WriterConfig.USER, pg.user(),
                WriterConfig.PASSWORD, pg.password(), WriterConfig.SCHEMA, schema))))) {
            Generation g = store.ensureCollection("books", new TableSource(schema, "books_source", "id", "{body}", null),
                    "test", model, 0, 16, 64).active();
            assertThat(g.indexBuilt()).isFalse();
            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO \"" + schema + "\"." + g.vectorTable() + " SELECT 'd' || i, 0, 'text', (SELECT"
                        + " array_agg(random() - 0.5)::vector(384) FROM generate_series(1, 384) WHERE i > 0)"
                        + " FROM generate_series(1, 1000) i");
            }

            // When its index is built
            VectorStore.IndexBuild build = store.buildIndex(g);

            // Then it was given the memory its graph wants, fitted, and the generation records it
            assertThat(build.rows()).isEqualTo(1000);
            assertThat(build.memoryMb()).isEqualTo(HnswBuildMemory.megabytes(1000, 384, 16)).isEqualTo(build.wantedMb());
            assertThat(build.outgrown()).isNull();
            assertThat(build.advice()).isEmpty();
            assertThat(store.collection("books").orElseThrow().active().indexBuilt()).isTrue();
        }
    }

    @Test
    void shouldBuildADeferredIndexWhenSessionsHaveAStatementTimeout() throws SQLException {
        // Given a bulk-loaded collection, set up through a store without a timeout
        ModelId model = new ModelId("test-model", "fp32", 384, 256);
        Generation g;
        try (VectorStore setup = VectorStore.open(WriterConfig.from(ConfigLookup.of(Map.of(
                WriterConfig.JDBC_URL, pg.jdbcUrl(), WriterConfig.USER, pg.user(),
                WriterConfig.PASSWORD, pg.password(), WriterConfig.SCHEMA, schema))))) {
            g = setup.ensureCollection("books", new TableSource(schema, "books_source", "id", "{body}", null),
                    "test", model, 0, 16, 64).active();
        }
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO \"" + schema + "\"." + g.vectorTable() + " SELECT 'd' || i, 0, 'text', (SELECT"
                    + " array_agg(random() - 0.5)::vector(384) FROM generate_series(1, 384) WHERE i > 0)"
                    + " FROM generate_series(1, 8000) i");
        }
        // and a store of one connection whose session times statements out after 1 s, as a role's
        // setting can (the timeout is real: a 1.5 s statement is cancelled)
        String url = pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "options=-c%20statement_timeout%3D1000";
        try (VectorStore store = VectorStore.open(WriterConfig.from(ConfigLookup.of(Map.of(
                WriterConfig.JDBC_URL, url, WriterConfig.USER, pg.user(), WriterConfig.PASSWORD, pg.password(),
                WriterConfig.SCHEMA, schema, WriterConfig.POOL_SIZE, "1"))))) {
            assertThatThrownBy(() -> sleepOn(store, 1.5)).hasMessageContaining("statement timeout");

            // When the index, which takes longer than that to build, is built
            long start = System.nanoTime();
            store.buildIndex(g);
            double seconds = (System.nanoTime() - start) / 1e9;

            // Then the build ran to the end, and the session has its own timeout back
            assertThat(seconds).isGreaterThan(1.0);
            assertThat(store.collection("books").orElseThrow().active().indexBuilt()).isTrue();
            try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
                 var rs = st.executeQuery("SHOW statement_timeout")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1s");
            }
        }
    }

    private static void sleepOn(VectorStore store, double seconds) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_sleep(" + seconds + ")");
        }
    }

    private String table(int dimensions, int rows) throws SQLException {
        String table = "\"" + schema + "\".v";
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (e vector(" + dimensions + "))");
            st.execute("INSERT INTO " + table + " SELECT (SELECT array_agg(random() - 0.5)::vector(" + dimensions
                    + ") FROM generate_series(1, " + dimensions + ") WHERE i > 0) FROM generate_series(1, " + rows + ") i");
        }
        return table;
    }

    private Optional<String> build(String table, int m, long memoryKb) throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement()) {
            st.execute("SET max_parallel_maintenance_workers = 0");
            st.execute("SET maintenance_work_mem = '" + Math.max(1024, memoryKb) + "kB'");
            st.execute("CREATE INDEX ON " + table + " USING hnsw (e vector_cosine_ops) WITH (m = " + m
                    + ", ef_construction = " + Math.max(64, 2 * m) + ")");
            return HnswBuildMemory.outgrown(st);
        }
    }
}
