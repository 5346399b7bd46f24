package dev.embedstream.ingest.internal;

import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.contracts.TableSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the database says about a source table: that it and its columns exist, that the key is
 * unique (keyset pagination skips rows otherwise), and the key's and {@code updated_at}'s types,
 * checked against a list so they can be named in a {@code CAST}.
 */
public record SourceTable(TableSource source, String keyType, String updatedAtType) {

    private static final Map<String, String> KEY_TYPES = Map.of("smallint", "smallint", "integer", "integer",
            "bigint", "bigint", "text", "text", "character varying", "varchar", "uuid", "uuid", "numeric", "numeric");
    private static final Map<String, String> TIME_TYPES = Map.of("timestamp with time zone", "timestamptz",
            "timestamp without time zone", "timestamp", "date", "date", "bigint", "bigint", "integer", "integer");

    /** Inspects the table, or throws {@link InvalidInputException} saying what is wrong with it. */
    public static SourceTable inspect(Connection c, TableSource source) throws SQLException {
        Map<String, Integer> columns = columns(c, source);
        if (columns.isEmpty()) {
            throw new InvalidInputException("source table " + source.schema() + "." + source.table() + " does not exist"
                    + " (or this user may not read it)");
        }
        List<String> missing = new ArrayList<>();
        List<String> wanted = new ArrayList<>(source.columns());
        wanted.add(source.keyColumn());
        if (source.updatedAtColumn() != null) {
            wanted.add(source.updatedAtColumn());
        }
        for (String col : wanted) {
            if (!columns.containsKey(col)) {
                missing.add(col);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException("source table " + source.schema() + "." + source.table() + " has no column "
                    + String.join(", ", missing) + " (it has " + String.join(", ", columns.keySet()) + ")");
        }
        String keyType = KEY_TYPES.get(type(c, source, source.keyColumn()));
        if (keyType == null) {
            throw new InvalidInputException("key column " + source.keyColumn() + " has type " + type(c, source, source.keyColumn())
                    + "; supported: " + String.join(", ", KEY_TYPES.keySet()));
        }
        if (nullable(c, source)) {
            throw new InvalidInputException("key column " + source.keyColumn() + " of " + source.table() + " allows NULL,"
                    + " and a row without a key cannot be embedded or found again: ALTER TABLE " + source.qualifiedTable()
                    + " ALTER COLUMN " + SqlIdentifiers.quote(source.keyColumn()) + " SET NOT NULL");
        }
        if (!uniqueKey(c, source)) {
            throw new InvalidInputException("key column " + source.keyColumn() + " of " + source.table() + " is not unique:"
                    + " give it a PRIMARY KEY or a UNIQUE index of that column alone");
        }
        String timeType = null;
        if (source.updatedAtColumn() != null) {
            String raw = type(c, source, source.updatedAtColumn());
            timeType = TIME_TYPES.get(raw);
            if (timeType == null) {
                throw new InvalidInputException("updated_at column " + source.updatedAtColumn() + " has type " + raw
                        + "; supported: " + String.join(", ", TIME_TYPES.keySet()));
            }
        }
        return new SourceTable(source, keyType, timeType);
    }

    private static boolean nullable(Connection c, TableSource s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT NOT a.attnotnull FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attname = ?")) {
            ps.setString(1, s.qualifiedTable());
            ps.setString(2, s.keyColumn());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static Map<String, Integer> columns(Connection c, TableSource s) throws SQLException {
        Map<String, Integer> columns = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, a.attnum FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, s.qualifiedTable());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return columns;
    }

    private static String type(Connection c, TableSource s, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(a.atttypid, NULL) FROM pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped")) {
            ps.setString(1, s.qualifiedTable());
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static boolean uniqueKey(Connection c, TableSource s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_index x JOIN pg_attribute a"
                + " ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]"
                + " WHERE x.indrelid = to_regclass(?) AND x.indisunique AND x.indnkeyatts = 1 AND x.indpred IS NULL"
                + " AND a.attname = ?")) {
            ps.setString(1, s.qualifiedTable());
            ps.setString(2, s.keyColumn());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
