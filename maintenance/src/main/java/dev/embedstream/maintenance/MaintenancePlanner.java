package dev.embedstream.maintenance;

import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.maintenance.internal.IndexQueries;
import dev.embedstream.maintenance.internal.MaintenanceHistory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The policy applied to what the database says now, for {@code embedstream maintenance status|run}:
 * rows and dead tuples from the table statistics, rows at the last build from the history. (The
 * running worker follows growth and churn from the writes themselves; churn is not visible here.)
 */
public final class MaintenancePlanner {

    /** One index, what it needs now, and its history. */
    public record Planned(IndexState state, boolean valid, Optional<MaintenanceCommand> command,
                          List<HistoryEntry> lastActions) {
    }

    private final DataSource dataSource;
    private final String schema;
    private final MaintenancePolicy policy;
    private final Clock clock;

    public MaintenancePlanner(DataSource dataSource, String schema, MaintenanceConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.policy = new MaintenancePolicy(config);
        this.clock = clock;
    }

    public List<Planned> plan() {
        MaintenanceHistory history = new MaintenanceHistory(schema);
        try (Connection c = dataSource.getConnection()) {
            boolean hasHistory = history.exists(c);
            List<Planned> out = new ArrayList<>();
            for (IndexQueries.IndexedTable t : new IndexQueries(schema).all(c)) {
                if (!t.exists()) {
                    continue;
                }
                long baseline = hasHistory ? lastBuildRows(c, t.index()).orElse(t.liveTuples()) : t.liveTuples();
                IndexState s = new IndexState(t.collection(), t.generation(), t.index(), t.table(), baseline,
                        t.liveTuples(), 0, t.deadTuples(), t.m(), null, 0);
                List<HistoryEntry> last = hasHistory ? forIndex(c, history, t.index()) : List.of();
                out.add(new Planned(s, t.valid(), policy.decide(s, clock.millis()), last));
            }
            return out;
        } catch (SQLException e) {
            throw new MaintenanceException("cannot read the indexes of schema '" + schema + "': " + e.getMessage(), e);
        }
    }

    /** The most recent actions, all indexes. */
    public List<HistoryEntry> recent(int limit) {
        MaintenanceHistory history = new MaintenanceHistory(schema);
        try (Connection c = dataSource.getConnection()) {
            return history.exists(c) ? history.recent(c, limit) : List.of();
        } catch (SQLException e) {
            throw new MaintenanceException("cannot read the maintenance history: " + e.getMessage(), e);
        }
    }

    private Optional<Long> lastBuildRows(Connection c, String index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rows_after FROM "
                + dev.embedstream.contracts.SqlIdentifiers.qualified(schema, "maintenance_history")
                + " WHERE index_name = ? AND outcome = 'succeeded' AND action IN ('REINDEX', 'REBUILD')"
                + " ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static List<HistoryEntry> forIndex(Connection c, MaintenanceHistory history, String index)
            throws SQLException {
        return history.recent(c, 200).stream().filter(e -> e.index().equals(index)).limit(3).toList();
    }
}
