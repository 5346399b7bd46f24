package dev.embedstream.app.bench;

import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The scratch schemas the database benchmarks set up and drop. */
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

    /** Drops a bench schema; a failure is reported, not thrown (the figures are already taken). */
    static void dropSchema(WriterConfig w, String schema) {
        try (VectorStore store = VectorStore.open(w)) {
            sql(store, "DROP SCHEMA IF EXISTS " + SqlIdentifiers.quote(schema) + " CASCADE");
        } catch (RuntimeException | SQLException e) {
            System.err.println("could not drop bench schema " + schema + ": " + e.getMessage());
        }
    }
}
