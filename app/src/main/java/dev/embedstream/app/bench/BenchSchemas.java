package dev.embedstream.app.bench;

import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The scratch schemas and tables the database benchmarks set up, fill and drop. */
final class BenchSchemas {

    private BenchSchemas() {
    }

    static void sql(VectorStore store, String... statements) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /**
     * DDL of an empty table shaped like a collection's vector table, for the database-alone sides of
     * the benches: (doc_id, chunk_index, chunk_text, embedding vector(dimensions)).
     */
    static String vectorTable(String table, int dimensions) {
        return "CREATE TABLE " + table + " (doc_id text NOT NULL, chunk_index int NOT NULL, chunk_text text NOT NULL,"
                + " embedding vector(" + dimensions + ") NOT NULL, PRIMARY KEY (doc_id, chunk_index))";
    }

    /** DDL of the HNSW index the writer builds (cosine, its m and ef_construction) on {@code table}. */
    static String hnswIndex(String table, WriterConfig w) {
        return "CREATE INDEX ON " + table + " USING hnsw (embedding vector_cosine_ops) WITH (m = " + w.hnswM()
                + ", ef_construction = " + w.hnswEfConstruction() + ")";
    }

    /** Binary COPY of {@code rows} (a {@code BinaryCopy}'s stream, made before any clock) into {@code table}. */
    static void copyIn(Connection c, String table, java.io.InputStream rows) throws SQLException, java.io.IOException {
        c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN (FORMAT binary)",
                rows);
    }

    /** Drops a bench schema; a failure is reported, not thrown (the figures are already taken). */
    static void dropSchema(WriterConfig w, String schema) {
        try (VectorStore store = VectorStore.open(w)) {
            sql(store, "DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(schema) + " CASCADE");
        } catch (RuntimeException | SQLException e) {
            System.err.println("could not drop bench schema " + schema + ": " + e.getMessage());
        }
    }
}
