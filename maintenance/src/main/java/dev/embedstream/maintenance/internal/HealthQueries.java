package dev.embedstream.maintenance.internal;

import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.maintenance.IndexReport;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catalog queries behind {@code IndexHealth}. Values are bound; the only identifiers in SQL text
 * are the schema and index names, validated and quoted by {@link SqlIdentifiers}.
 */
public final class HealthQueries {

    /** pgvector's defaults when an HNSW index was built without {@code WITH (m, ef_construction)}. */
    public static final int DEFAULT_M = 16;
    public static final int DEFAULT_EF_CONSTRUCTION = 64;

    private static final String HNSW = "hnsw";

    /** A collection of the catalog, and whether what it names exists. */
    public record CollectionState(String name, String vectorTable, String indexName, boolean tableExists,
                                  boolean indexExists) {
    }

    private final String schema;
    private final String catalogTable;
    private final String indexedTables;

    public HealthQueries(String schema) {
        this.schema = schema;
        this.catalogTable = SqlIdentifiers.qualified(schema, "collections");
        // Generations whose tables exist and whose index should: a building one gets its index at the end.
        this.indexedTables = "(SELECT collection AS name, vector_table, index_name FROM "
                + SqlIdentifiers.qualified(schema, "generations") + " WHERE state <> 'dropped' AND index_built)";
    }

    public PgvectorVersion pgvector(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT extversion FROM pg_extension WHERE extname = ?")) {
            ps.setString(1, "vector");
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return PgvectorVersion.parse(rs.getString(1));
            }
        }
    }

    public String serverVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, "server_version");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** The catalog's collections, or empty when the schema has no catalog table (yet). */
    public Optional<List<CollectionState>> collections(Connection c) throws SQLException {
        if (!catalogExists(c)) {
            return Optional.empty();
        }
        String sql = "SELECT c.name, c.vector_table, c.index_name,"
                + " EXISTS (SELECT 1 FROM pg_class t WHERE t.relnamespace = n.oid AND t.relname = c.vector_table"
                + "         AND t.relkind IN ('r', 'p')),"
                + " EXISTS (SELECT 1 FROM pg_class t JOIN pg_index x ON x.indrelid = t.oid"
                + "         JOIN pg_class i ON i.oid = x.indexrelid"
                + "         WHERE t.relnamespace = n.oid AND t.relname = c.vector_table AND i.relname = c.index_name)"
                + " FROM " + indexedTables + " c CROSS JOIN (SELECT oid FROM pg_namespace WHERE nspname = ?) n"
                + " ORDER BY c.name";
        List<CollectionState> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new CollectionState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getBoolean(5)));
                }
            }
        }
        return Optional.of(list);
    }

    /**
     * Every HNSW index of the collections' vector tables, and every invalid index of those tables
     * whatever its kind. An index counts as being built while {@code pg_stat_progress_create_index}
     * shows a build on it or on its table (visible for builds of the same database user, or to
     * members of {@code pg_read_all_stats}).
     */
    public List<IndexReport> indexes(Connection c) throws SQLException {
        if (!catalogExists(c)) {
            return List.of();
        }
        String sql = "SELECT c.name, t.relname, i.relname, am.amname, x.indisvalid, x.indisready,"
                + " EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.relid = t.oid OR p.index_relid = i.oid),"
                + " coalesce(pg_relation_size(i.oid), 0), coalesce(s.n_live_tup, 0), coalesce(s.n_dead_tup, 0),"
                + " i.reloptions"
                + " FROM " + indexedTables + " c"
                + " JOIN pg_namespace n ON n.nspname = ?"
                + " JOIN pg_class t ON t.relnamespace = n.oid AND t.relname = c.vector_table"
                + " JOIN pg_index x ON x.indrelid = t.oid"
                + " JOIN pg_class i ON i.oid = x.indexrelid"
                + " JOIN pg_am am ON am.oid = i.relam"
                + " LEFT JOIN pg_stat_user_tables s ON s.relid = t.oid"
                + " WHERE am.amname = ? OR NOT x.indisvalid"
                + " ORDER BY c.name, i.relname";
        List<IndexReport> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, HNSW);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String method = rs.getString(4);
                    boolean hnsw = HNSW.equals(method);
                    String[] options = options(rs.getArray(11));
                    list.add(new IndexReport(rs.getString(1), rs.getString(2), rs.getString(3), method,
                            rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7), rs.getLong(8), rs.getLong(9),
                            rs.getLong(10), hnsw ? option(options, "m", DEFAULT_M) : null,
                            hnsw ? option(options, "ef_construction", DEFAULT_EF_CONSTRUCTION) : null));
                }
            }
        }
        return list;
    }

    /** {@code DROP INDEX CONCURRENTLY IF EXISTS}; the connection must be in autocommit mode. */
    public void dropConcurrently(Connection c, String index) throws SQLException {
        String sql = "DROP INDEX CONCURRENTLY IF EXISTS " + SqlIdentifiers.qualified(schema, index);
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private boolean catalogExists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, catalogTable);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String[] options(Array array) throws SQLException {
        if (array == null) {
            return new String[0];
        }
        try {
            return (String[]) array.getArray();
        } finally {
            array.free();
        }
    }

    /** An integer option of {@code pg_class.reloptions} ({@code name=value}), or the default. */
    static int option(String[] options, String name, int defaultValue) {
        String prefix = name + "=";
        for (String o : options) {
            if (o != null && o.startsWith(prefix)) {
                try {
                    return Integer.parseInt(o.substring(prefix.length()).trim());
                } catch (NumberFormatException e) {
                    return defaultValue;
                }
            }
        }
        return defaultValue;
    }
}
