package dev.embedstream.maintenance;

import dev.embedstream.contracts.IndexEvent;
import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.contracts.MaintenanceCommand.Action;
import java.util.Locale;
import java.util.Optional;

/**
 * When an index needs work, as pure functions over {@link IndexState}: folding events in, and
 * deciding. The topology applies it to the event stream; {@code maintenance run} to a state read
 * from the database. A command asked for is not asked again until it is done or the cooldown passed.
 */
public final class MaintenancePolicy {

    private final MaintenanceConfig config;

    public MaintenancePolicy(MaintenanceConfig config) {
        this.config = config;
    }

    /** The state after an event. */
    public IndexState apply(IndexState s, IndexEvent e) {
        return switch (e.type()) {
            // Dead tuples come from samples only: autovacuum may have cleaned what writes left behind.
            case WRITE -> s.with(s.baselineRows(), Math.max(0, s.rows() + e.inserted() - e.updated() - e.deleted()),
                    s.churn() + e.updated() + e.deleted(), s.deadTuples(), s.m());
            // A sample corrects the counts; the first one is the baseline an index never built by us starts from.
            case STATS -> s.with(s.hasBaseline() ? s.baselineRows() : e.rows(), e.rows(), s.churn(),
                    e.deadTuples() < 0 ? s.deadTuples() : e.deadTuples(), e.m() > 0 ? e.m() : s.m());
            case DONE -> done(s, e);
        };
    }

    private static IndexState done(IndexState s, IndexEvent e) {
        boolean rebuilt = !Action.VACUUM.name().equals(e.action());
        long rows = e.rows() >= 0 ? e.rows() : s.rows();
        IndexState next = rebuilt
                ? s.with(rows, rows, 0, e.deadTuples() >= 0 ? e.deadTuples() : s.deadTuples(), e.m() > 0 ? e.m() : s.m())
                : s.with(s.baselineRows(), rows, s.churn(), Math.max(0, e.deadTuples()), s.m());
        boolean clears = e.action() != null && (e.action().equals(s.pending())
                || rebuilt && !Action.VACUUM.name().equals(s.pending()));
        return clears ? next.pending(null, 0) : next;
    }

    /** The action the index needs now, if any, and not already asked for within the cooldown. */
    public Optional<MaintenanceCommand> decide(IndexState s, long now) {
        if (!s.hasBaseline()) {
            return Optional.empty();
        }
        if (s.pending() != null && now - s.pendingSince() < config.cooldown().toMillis()) {
            return Optional.empty();
        }
        return need(s).map(n -> new MaintenanceCommand(s.collection(), s.generation(), s.index(), s.table(), n.action,
                n.reason, s.rows(), n.m, n.efConstruction, now));
    }

    private record Need(Action action, String reason, int m, int efConstruction) {
    }

    private Optional<Need> need(IndexState s) {
        if (s.rows() >= config.minRows()) {
            HnswPreset preset = HnswPreset.forRows(s.rows());
            if (config.tiers() && s.m() > 0 && preset.m() > s.m()) {
                return Optional.of(new Need(Action.REBUILD, String.format(Locale.ROOT,
                        "%,d rows reached the tier from %,d rows: m %d -> %d, ef_construction %d", s.rows(),
                        preset.fromRows(), s.m(), preset.m(), preset.efConstruction()), preset.m(), preset.efConstruction()));
            }
            long base = Math.max(1, s.baselineRows());
            if (s.rows() - s.baselineRows() >= base * config.growthPercent() / 100) {
                return Optional.of(new Need(Action.REINDEX, String.format(Locale.ROOT,
                        "rows grew from %,d to %,d since the last build (threshold +%d%%)", s.baselineRows(), s.rows(),
                        config.growthPercent()), s.m(), 0));
            }
            if (s.churn() * 100 > (long) config.churnPercent() * base) {
                return Optional.of(new Need(Action.REINDEX, String.format(Locale.ROOT,
                        "%,d rows updated or deleted since the last build, %.0f%% of %,d (threshold %d%%)", s.churn(),
                        100.0 * s.churn() / base, base, config.churnPercent()), s.m(), 0));
            }
        }
        if (s.rows() >= config.minRows() && s.deadTuples() >= config.minDeadTuples() && s.deadTuples() * 100 > (long) config.deadTuplePercent() * Math.max(1, s.rows())) {
            return Optional.of(new Need(Action.VACUUM, String.format(Locale.ROOT,
                    "%,d dead tuples, %.0f%% of %,d rows (threshold %d%%, at least %,d)", s.deadTuples(),
                    100.0 * s.deadTuples() / Math.max(1, s.rows()), s.rows(), config.deadTuplePercent(),
                    config.minDeadTuples()), s.m(), 0));
        }
        return Optional.empty();
    }

    /** The state once a command is sent: not sent again until done or the cooldown passed. */
    public IndexState asked(IndexState s, MaintenanceCommand c) {
        return s.pending(c.action().name(), c.issuedAt());
    }
}
