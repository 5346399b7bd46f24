package dev.embedstream.writer.internal;

import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.Coverage;
import dev.embedstream.writer.Generation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Exact coverage in one query per generation: the source (a table, or the active generation) is
 * joined to the generation's bookkeeping table on the document id and compared by text hash, which
 * PostgreSQL computes itself ({@link ContentHash#ofTextSql}), so no row travels to the client.
 */
public final class CoverageQueries {

    /** The regular expression a text must match to be embeddable (Java's {@code isBlank} is false). */
    public static final String NON_BLANK = "[^[:space:]]";

    private final String schema;

    public CoverageQueries(String schema) {
        this.schema = schema;
    }

    public Coverage of(Connection c, CollectionInfo info, Generation g) throws SQLException {
        if (info.isTableSourced()) {
            return fromTable(c, info, g);
        }
        if (g.state() == Generation.State.ACTIVE) {
            return ofTopicActive(c, info, g);
        }
        return fromActive(c, info, g);
    }

    private Coverage fromTable(Connection c, CollectionInfo info, Generation g) throws SQLException {
        TableSource src = info.source();
        String text = src.textSql("t");
        String changed = isTimestamp(c, src) ? "t." + SqlIdentifiers.quote(src.updatedAtColumn()) + "::timestamptz"
                : "NULL::timestamptz";
        String source = "SELECT " + src.idSql("t") + " AS id, " + ContentHash.ofTextSql(text) + " AS h, " + changed
                + " AS changed FROM " + src.qualifiedTable() + " t WHERE " + text + " ~ '" + NON_BLANK + "'";
        List<String> params = new java.util.ArrayList<>(src.textParameters());
        params.addAll(src.textParameters());
        return run(c, info, g, source, params);
    }

    /**
     * Whether the source's change column is a point in time. A numeric one (a counter, or epoch
     * seconds or milliseconds: the table does not say which) gives no pending age.
     */
    private static boolean isTimestamp(Connection c, TableSource src) throws SQLException {
        if (src.updatedAtColumn() == null) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT t.typcategory = 'D' FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = ?::regclass AND a.attname = ?")) {
            ps.setString(1, src.qualifiedTable());
            ps.setString(2, src.updatedAtColumn());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private Coverage fromActive(Connection c, CollectionInfo info, Generation g) throws SQLException {
        String source = "SELECT doc_id AS id, text_hash AS h, embedded_at AS changed FROM "
                + SqlIdentifiers.qualified(schema, info.active().docsTable());
        return run(c, info, g, source, List.of());
    }

    private Coverage run(Connection c, CollectionInfo info, Generation g, String source, List<String> params)
            throws SQLException {
        String pending = "(d.doc_id IS NULL OR d.text_hash <> s.h)";
        String sql = "SELECT count(s.id),"
                + " count(*) FILTER (WHERE s.id IS NOT NULL AND d.text_hash = s.h),"
                + " count(*) FILTER (WHERE s.id IS NOT NULL AND d.text_hash <> s.h),"
                + " count(*) FILTER (WHERE s.id IS NOT NULL AND d.doc_id IS NULL),"
                + " count(*) FILTER (WHERE s.id IS NOT NULL AND " + pending
                + "   AND x.doc_id IS NOT NULL AND (x.text_hash IS NULL OR x.text_hash = s.h)),"
                + " count(*) FILTER (WHERE s.id IS NULL),"
                + " extract(epoch FROM now() - min(s.changed) FILTER (WHERE s.id IS NOT NULL AND " + pending + "))"
                + " FROM (" + source + ") s"
                + " FULL JOIN " + SqlIdentifiers.qualified(schema, g.docsTable()) + " d ON d.doc_id = s.id"
                + " LEFT JOIN " + SqlIdentifiers.qualified(schema, "dead_letters") + " x"
                + "   ON x.collection = ? AND x.doc_id = s.id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String p : params) {
                ps.setString(i++, p);
            }
            ps.setString(i, info.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double age = rs.getDouble(7);
                Duration oldest = rs.wasNull() ? null : Duration.ofMillis(Math.max(0, (long) (age * 1000)));
                return new Coverage(info.name(), g.number(), g.model().key(), role(g), rs.getLong(1), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), oldest);
            }
        }
    }

    /**
     * The active generation of a collection fed only through the topic is its own source: what it
     * holds is current as far as the database can tell; documents dead-lettered and never stored are
     * missing.
     */
    private Coverage ofTopicActive(Connection c, CollectionInfo info, Generation g) throws SQLException {
        String docs = SqlIdentifiers.qualified(schema, g.docsTable());
        String sql = "SELECT (SELECT count(*) FROM " + docs + "), (SELECT count(*) FROM "
                + SqlIdentifiers.qualified(schema, "dead_letters") + " x WHERE x.collection = ? AND NOT EXISTS"
                + " (SELECT 1 FROM " + docs + " d WHERE d.doc_id = x.doc_id))";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, info.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long stored = rs.getLong(1);
                long dead = rs.getLong(2);
                return new Coverage(info.name(), g.number(), g.model().key(), role(g), stored + dead, stored, 0, dead,
                        dead, 0, null);
            }
        }
    }

    private static String role(Generation g) {
        return g.state().name().toLowerCase(Locale.ROOT);
    }
}
