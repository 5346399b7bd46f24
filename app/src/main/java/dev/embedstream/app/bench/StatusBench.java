package dev.embedstream.app.bench;

import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.writer.Coverage;
import dev.embedstream.writer.VectorStore;
import dev.embedstream.writer.WriterConfig;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * Exact coverage of a table-sourced collection of {@code rows} rows (90% current, 5% stale, 5%
 * missing), timed against the one-second budget and beside a plain {@code count(*)} of the table.
 */
public final class StatusBench {

    private static final String COLLECTION = "bench_status";
    private static final int ROUNDS = 5;

    private final WriterConfig config;
    private final int rows;
    private final PrintStream out;

    public StatusBench(WriterConfig config, int rows, PrintStream out) {
        this.config = config;
        this.rows = rows;
        this.out = out;
    }

    public void run(BenchReport report) throws SQLException {
        String schema = "bench_status_" + Long.toHexString(System.nanoTime());
        WriterConfig writer = config.withSchema(schema);
        out.printf("status: %d rows, 90%% current, 5%% stale, 5%% missing%n", rows);
        try (VectorStore store = VectorStore.open(writer)) {
            TableSource source = new TableSource(schema, "articles", "id", "{title}\\n\\n{body}", "updated_at");
            setUp(store, source);
            store.ensureCollection(COLLECTION, source, "local", new ModelId("bench-model", "fp32", 8, 256), 32, 16, 64);
            fill(store, source);
            Coverage c = store.coverage(COLLECTION).get(0);
            if (c.total() != rows || c.current() != rows * 90L / 100) {
                throw new IllegalStateException("unexpected coverage " + c);
            }
            double status = median(() -> store.coverage(COLLECTION));
            double scan = median(() -> count(store, source));
            report.ratio("status on " + rows + " rows", "embedstream status (exact coverage)", status * 1000, "ms",
                    status / 1.0, 1.0, false, String.format("median of %d; ratio = time / 1 s budget; %s",
                            ROUNDS, describe(c)));
            report.reference("status on " + rows + " rows", "SELECT count(*) of the source table", scan * 1000, "ms",
                    String.format("median of %d; status costs %.1f plain scans", ROUNDS, status / scan));
        } finally {
            BenchSchemas.dropSchema(writer, schema);
        }
    }

    private static String describe(Coverage c) {
        return String.format("%d current, %d stale, %d missing", c.current(), c.stale(), c.missing());
    }

    private void setUp(VectorStore store, TableSource s) throws SQLException {
        BenchSchemas.sql(store, "CREATE TABLE " + s.qualifiedTable() + " (id bigint PRIMARY KEY, title text NOT NULL, body text,"
                + " updated_at timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO " + s.qualifiedTable() + " (id, title, body, updated_at) SELECT g, 'Article number ' || g,"
                        + " repeat('Body text of a realistic length about topic ' || (g % 97) || '. ', 8),"
                        + " now() - (g || ' seconds')::interval FROM generate_series(1, " + rows + ") g",
                "ANALYZE " + s.qualifiedTable());
    }

    /** Bookkeeping rows as the writer leaves them: 95% stored, of which 5% of all with an older text. */
    private void fill(VectorStore store, TableSource s) throws SQLException {
        String docs = SqlIdentifiers.qualified(store.config().schema(), "docs_" + COLLECTION + "_1");
        String text = s.textSql("t");
        try (Connection c = store.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + docs + " (doc_id, content_hash, text_hash,"
                     + " chunk_count) SELECT t.id::text, 'x', CASE WHEN t.id % 20 = 1 THEN 'old' ELSE "
                     + ContentHash.ofTextSql(text) + " END, 1 FROM " + s.qualifiedTable() + " t WHERE t.id % 20 <> 0")) {
            int i = 1;
            for (String p : s.textParameters()) {
                ps.setString(i++, p);
            }
            ps.executeUpdate();
        }
        BenchSchemas.sql(store, "ANALYZE " + docs);
    }

    private static long count(VectorStore store, TableSource s) {
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM " + s.qualifiedTable())) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double median(Runnable r) {
        r.run(); // warm the cache
        double[] seconds = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            r.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[ROUNDS / 2];
    }
}
