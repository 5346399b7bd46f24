package dev.embedstream.maintenance.internal;

import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.maintenance.HistoryEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The history table: one row per maintenance action, with its reason, duration and outcome. */
public final class MaintenanceHistory {

    private static final long CREATE_LOCK = 0x656d6264_6d6e7472L; // "embdmntr"

    private final String table;

    public MaintenanceHistory(String schema) {
        this.table = SqlIdentifiers.qualified(schema, "maintenance_history");
    }

    /** Idempotent; instances starting together serialise on a lock (concurrent CREATE IF NOT EXISTS can fail). */
    public void create(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")");
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " (id bigserial PRIMARY KEY, collection text NOT NULL,"
                    + " generation int NOT NULL, index_name text NOT NULL, action text NOT NULL, reason text NOT NULL,"
                    + " outcome text NOT NULL, detail text, rows_before bigint, rows_after bigint,"
                    + " started_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz, duration_ms bigint,"
                    + " instance text NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS maintenance_history_index_idx ON " + table + " (index_name, started_at)");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    public long start(Connection c, MaintenanceCommand cmd, String instance) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (collection, generation, index_name,"
                + " action, reason, outcome, rows_before, instance) VALUES (?, ?, ?, ?, ?, 'running', ?, ?) RETURNING id")) {
            ps.setString(1, cmd.collection());
            ps.setInt(2, cmd.generation());
            ps.setString(3, cmd.index());
            ps.setString(4, cmd.action().name());
            ps.setString(5, cmd.reason());
            ps.setLong(6, cmd.rows());
            ps.setString(7, instance);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void finish(Connection c, long id, String outcome, String detail, Long rowsAfter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET outcome = ?, detail = ?, rows_after = ?,"
                + " finished_at = now(), duration_ms = (extract(epoch FROM now() - started_at) * 1000)::bigint"
                + " WHERE id = ?")) {
            ps.setString(1, outcome);
            ps.setString(2, detail);
            if (rowsAfter == null) {
                ps.setNull(3, java.sql.Types.BIGINT);
            } else {
                ps.setLong(3, rowsAfter);
            }
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    /** An action that was not started, and why. */
    public void skipped(Connection c, MaintenanceCommand cmd, String instance, String why) throws SQLException {
        long id = start(c, cmd, instance);
        finish(c, id, "skipped", why, null);
    }

    /** When the same action last succeeded on the index, if it did. */
    public Optional<Instant> lastSucceeded(Connection c, String index, String action) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(finished_at) FROM " + table
                + " WHERE index_name = ? AND action = ? AND outcome = 'succeeded'")) {
            ps.setString(1, index);
            ps.setString(2, action);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp t = rs.getTimestamp(1);
                return Optional.ofNullable(t).map(Timestamp::toInstant);
            }
        }
    }

    /** Actions still marked running: their executor may be alive elsewhere, or may have died. */
    public List<HistoryEntry> running(Connection c) throws SQLException {
        return query(c, "WHERE outcome = 'running' ORDER BY id", -1);
    }

    public List<HistoryEntry> recent(Connection c, int limit) throws SQLException {
        return query(c, "ORDER BY id DESC LIMIT ?", limit);
    }

    public boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private List<HistoryEntry> query(Connection c, String tail, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, collection, generation, index_name, action, reason,"
                + " outcome, detail, rows_before, rows_after, started_at, finished_at, duration_ms, instance FROM "
                + table + " " + tail)) {
            if (limit >= 0) {
                ps.setInt(1, limit);
            }
            List<HistoryEntry> list = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new HistoryEntry(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), (Long) rs.getObject(9),
                            (Long) rs.getObject(10), instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)),
                            (Long) rs.getObject(13), rs.getString(14)));
                }
            }
            return list;
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
