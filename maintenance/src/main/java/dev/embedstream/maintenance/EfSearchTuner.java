package dev.embedstream.maintenance;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Measures recall@k against exact search, and latency, for a range of {@code hnsw.ef_search}
 * values, on queries sampled from the collection's own stored vectors (each query's own row left
 * out of both answers); stores the smallest value that meets the target recall for search to use.
 */
public final class EfSearchTuner {

    /** ef_search values tried when none are given. */
    public static final List<Integer> DEFAULT_VALUES = List.of(10, 20, 40, 64, 100, 200, 400);
    public static final double DEFAULT_TARGET = 0.95;

    /** One ef_search value's figures. */
    public record Row(int efSearch, double recall, double p50Millis, double p95Millis) {
    }

    /** The measurement, and the value chosen (null when none met the target). */
    public record Result(String collection, int generation, String index, long tableRows, int queries, int k,
                         double target, double exactP50Millis, List<Row> rows, Integer chosen, double exactP95Millis) {

        /** The table a person reads, like the seeds' benchmark tables. */
        public String table() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%s generation %d (%s, %,d rows): recall@%d over %d sampled queries;"
                    + " exact search p50 %.1f ms%n", collection, generation, index, tableRows, k, queries, exactP50Millis));
            b.append(String.format(Locale.ROOT, "%10s %9s %9s %9s%n", "ef_search", "recall", "p50 ms", "p95 ms"));
            for (Row r : rows) {
                b.append(String.format(Locale.ROOT, "%10d %9.3f %9.2f %9.2f%s%n", r.efSearch(), r.recall(), r.p50Millis(),
                        r.p95Millis(), chosen != null && chosen == r.efSearch() ? "   <- smallest with recall >= " + target : ""));
            }
            if (chosen == null) {
                b.append(String.format(Locale.ROOT, "no value reached recall %.2f: try larger values, or rebuild with a larger m%n",
                        target));
            }
            return b.toString();
        }
    }

    private final DataSource dataSource;
    private final String schema;

    public EfSearchTuner(DataSource dataSource, String schema) {
        SqlIdentifiers.quote(schema);
        this.dataSource = dataSource;
        this.schema = schema;
    }

    public Result tune(String collection, int queries, int k, double target, List<Integer> values, boolean store) {
        if (queries < 1 || queries > 10_000) {
            throw new InvalidInputException("queries must be in 1..10000, got " + queries);
        }
        if (k < 1 || k > 1000) {
            throw new InvalidInputException("k must be in 1..1000, got " + k);
        }
        if (!(target > 0 && target <= 1)) {
            throw new InvalidInputException("target recall must be in (0, 1], got " + target);
        }
        if (values.isEmpty()) {
            throw new InvalidInputException("at least one ef_search value is needed");
        }
        for (int v : values) {
            if (v < 1 || v > 1000) {
                throw new InvalidInputException("ef_search values must be in 1..1000, got " + v);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            Object[] g = activeGeneration(c, collection);
            int generation = (Integer) g[0];
            String table = SqlIdentifiers.qualified(schema, (String) g[1]);
            String index = (String) g[2];
            long tableRows = count(c, table);
            List<String[]> sample = sample(c, table, queries);
            if (sample.isEmpty()) {
                throw new InvalidInputException("collection '" + collection + "' has no vectors to tune on");
            }
            // one untimed scan first, as the index gets its untimed pass below: both timed on data in memory
            nearest(c, table, sample.get(0), k, 0);
            double[] exactMillis = new double[sample.size()];
            List<Set<String>> exact = new ArrayList<>();
            for (int i = 0; i < sample.size(); i++) {
                Answer answer = nearest(c, table, sample.get(i), k, 0);
                exact.add(answer.ids());
                exactMillis[i] = answer.millis();
            }
            List<Integer> efs = values.stream().sorted().distinct().toList();
            // Searches in service run on an index in memory; untimed, the first ef measured would also pay
            // for reading the index in (p95 4.1 ms at ef 20 against 1.5 ms at ef 40 in one bench run).
            for (String[] query : sample) {
                nearest(c, table, query, k, efs.get(efs.size() - 1));
            }
            List<Row> rows = new ArrayList<>();
            Row chosen = null;
            for (int ef : efs) {
                double[] millis = new double[sample.size()];
                long found = 0;
                long wanted = 0;
                for (int i = 0; i < sample.size(); i++) {
                    Answer answer = nearest(c, table, sample.get(i), k, ef);
                    Set<String> approx = answer.ids();
                    millis[i] = answer.millis();
                    Set<String> truth = exact.get(i);
                    wanted += truth.size();
                    found += approx.stream().filter(truth::contains).count();
                }
                double recall = wanted == 0 ? 1.0 : (double) found / wanted;
                Row row = new Row(ef, recall, percentile(millis, 0.5), percentile(millis, 0.95));
                rows.add(row);
                if (chosen == null && recall >= target) {
                    chosen = row;
                }
            }
            if (store && chosen != null) {
                save(c, collection, generation, chosen.efSearch(), chosen.recall());
            }
            return new Result(collection, generation, index, tableRows, sample.size(), k, target,
                    percentile(exactMillis, 0.5), rows, chosen == null ? null : chosen.efSearch(),
                    percentile(exactMillis, 0.95));
        } catch (SQLException e) {
            throw new MaintenanceException("tuning ef_search of '" + collection + "' failed: " + e.getMessage(), e);
        }
    }

    private Object[] activeGeneration(Connection c, String collection) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT g.generation, g.vector_table, g.index_name FROM "
                + SqlIdentifiers.qualified(schema, "collections") + " c JOIN " + SqlIdentifiers.qualified(schema, "generations")
                + " g ON g.collection = c.name AND g.generation = c.active_generation WHERE c.name = ?")) {
            ps.setString(1, collection);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new InvalidInputException("unknown collection '" + collection + "'");
                }
                return new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3)};
            }
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {doc_id, chunk_index, vector text} of random stored rows. */
    private static List<String[]> sample(Connection c, String table, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT doc_id, chunk_index::text, embedding::text FROM " + table
                + " ORDER BY random() LIMIT ?")) {
            ps.setInt(1, n);
            List<String[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            return out;
        }
    }

    /** A query's answer: the ids found, and the milliseconds of the search statement alone. */
    private record Answer(Set<String> ids, double millis) {
    }

    /**
     * The k nearest rows other than the query's own: exactly (ef 0: no index) or through HNSW. Only the
     * search statement is timed, from its execution to its last row read: the settings and the commit
     * around it are the tuner's own, five round trips that are the same for every ef and would otherwise
     * be most of an indexed query's time.
     */
    private static Answer nearest(Connection c, String table, String[] query, int k, int ef) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            // A statement pgjdbc has server-prepared gets a generic plan after five runs, planned without
            // the LIMIT and under whatever enable_* settings held then: measured at 50 ms instead of 0.3 ms.
            // Planning a k-row lookup costs microseconds, so every run is planned for its own values.
            st.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            st.execute("SET LOCAL jit = off");
            if (ef == 0) {
                st.execute("SET LOCAL enable_indexscan = off");
                st.execute("SET LOCAL enable_bitmapscan = off");
            } else {
                // the index, always: on a small table the planner would rather scan, and measure nothing
                st.execute("SET LOCAL enable_seqscan = off");
                st.execute("SET LOCAL hnsw.ef_search = " + ef);
            }
            Set<String> ids = new HashSet<>();
            long nanos;
            try (PreparedStatement ps = c.prepareStatement("SELECT doc_id, chunk_index FROM " + table
                    + " ORDER BY embedding <=> ?::vector LIMIT ?")) {
                ps.setString(1, query[2]);
                ps.setInt(2, k + 1);
                long start = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1) + "#" + rs.getInt(2);
                        if (!id.equals(query[0] + "#" + query[1]) && ids.size() < k) {
                            ids.add(id);
                        }
                    }
                }
                nanos = System.nanoTime() - start;
            }
            c.commit();
            return new Answer(ids, nanos / 1e6);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void save(Connection c, String collection, int generation, int ef, double recall) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + SqlIdentifiers.qualified(schema, "generations")
                + " SET ef_search = ?, ef_search_recall = ? WHERE collection = ? AND generation = ?")) {
            ps.setInt(1, ef);
            ps.setDouble(2, recall);
            ps.setString(3, collection);
            ps.setInt(4, generation);
            ps.executeUpdate();
        }
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
