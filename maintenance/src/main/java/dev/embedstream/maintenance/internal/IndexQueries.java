package dev.embedstream.maintenance.internal;

import dev.embedstream.contracts.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The indexed generations of the catalog, with what PostgreSQL says of their tables now. */
public final class IndexQueries {

    /** One live generation's HNSW index. */
    public record IndexedTable(String collection, int generation, String index, String table, int m, int efConstruction,
                               int dimensions, long liveTuples, long deadTuples, boolean exists, boolean valid,
                               long sizeBytes) {
    }

    private final String schema;

    public IndexQueries(String schema) {
        this.schema = schema;
    }

    public List<IndexedTable> all(Connection c) throws SQLException {
        return query(c, "", null);
    }

    public Optional<IndexedTable> byIndex(Connection c, String index) throws SQLException {
        return query(c, " AND g.index_name = ?", index).stream().findFirst();
    }

    private List<IndexedTable> query(Connection c, String filter, String index) throws SQLException {
        String generations = SqlIdentifiers.qualified(schema, "generations");
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, generations);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return List.of();
                }
            }
        }
        String sql = "SELECT g.collection, g.generation, g.index_name, g.vector_table, g.hnsw_m, g.hnsw_ef_construction,"
                + " g.dimensions, coalesce(s.n_live_tup, 0), coalesce(s.n_dead_tup, 0), i.oid IS NOT NULL,"
                + " coalesce(x.indisvalid, false), coalesce(pg_relation_size(i.oid), 0)"
                + " FROM " + generations + " g"
                + " JOIN pg_namespace n ON n.nspname = ?"
                + " LEFT JOIN pg_class t ON t.relnamespace = n.oid AND t.relname = g.vector_table"
                + " LEFT JOIN pg_stat_user_tables s ON s.relid = t.oid"
                + " LEFT JOIN pg_class i ON i.relnamespace = n.oid AND i.relname = g.index_name"
                + " LEFT JOIN pg_index x ON x.indexrelid = i.oid"
                + " WHERE g.state <> 'dropped' AND g.index_built" + filter
                + " ORDER BY g.collection, g.generation";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            if (index != null) {
                ps.setString(2, index);
            }
            List<IndexedTable> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new IndexedTable(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getLong(8), rs.getLong(9), rs.getBoolean(10),
                            rs.getBoolean(11), rs.getLong(12)));
                }
            }
            return list;
        }
    }

    /** Exact row count of a vector table. */
    public long count(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + SqlIdentifiers.qualified(schema, table));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
