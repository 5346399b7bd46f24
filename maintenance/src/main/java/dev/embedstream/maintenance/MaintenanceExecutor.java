package dev.embedstream.maintenance;

import dev.embedstream.contracts.HnswBuildMemory;
import dev.embedstream.contracts.IndexEvent;
import dev.embedstream.contracts.MaintenanceCommand;
import dev.embedstream.contracts.MaintenanceCommand.Action;
import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.maintenance.internal.HealthQueries;
import dev.embedstream.maintenance.internal.IndexQueries;
import dev.embedstream.maintenance.internal.IndexQueries.IndexedTable;
import dev.embedstream.maintenance.internal.MaintenanceHistory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs maintenance commands, one at a time per index across every instance (a PostgreSQL advisory
 * lock per index), at most once per cooldown, and never blocking writes: everything is concurrent
 * ({@code REINDEX INDEX CONCURRENTLY}, {@code CREATE INDEX CONCURRENTLY}, plain {@code VACUUM}).
 * Each action gets a history row with its reason, duration and outcome, and a finished one is
 * reported as an index event so the policy starts counting again.
 */
public final class MaintenanceExecutor {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceExecutor.class);
    private static final Pattern HNSW_COLUMNS = Pattern.compile("USING hnsw \\((.+?)\\)(?: WITH|$)");
    private static final String QUERY_CANCELED = "57014";
    private static final String ADMIN_SHUTDOWN = "57P01";
    /** Older commands are dropped: the policy asks again if the work is still needed. */
    private static final Duration MAX_COMMAND_AGE = Duration.ofDays(1);

    /** How an action ended. */
    public enum Outcome { SUCCEEDED, FAILED, SKIPPED, INTERRUPTED }

    /** The end of one command. */
    public record Result(Outcome outcome, String detail) {
    }

    /** A build under way, from {@code pg_stat_progress_create_index}. */
    public record Progress(String index, String action, String phase, long tuplesDone, long tuplesTotal,
                           long blocksDone, long blocksTotal, Instant startedAt) {

        public String describe() {
            String of = tuplesTotal > 0 ? String.format(Locale.ROOT, " %,d/%,d tuples", tuplesDone, tuplesTotal)
                    : blocksTotal > 0 ? String.format(Locale.ROOT, " %,d/%,d blocks", blocksDone, blocksTotal) : "";
            return action + " " + index + ": " + phase + of;
        }
    }

    private final DataSource dataSource;
    private final String schema;
    private final MaintenanceConfig config;
    private final String instance;
    private final Consumer<IndexEvent> done;
    private final Clock clock;
    private final MaintenanceHistory history;
    private final IndexQueries indexes;
    private final AtomicReference<Statement> running = new AtomicReference<>();
    private final AtomicReference<Progress> progress = new AtomicReference<>();
    private volatile boolean closing;
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> outcomes =
            new java.util.concurrent.ConcurrentHashMap<>();

    public MaintenanceExecutor(DataSource dataSource, String schema, MaintenanceConfig config, String instance,
                               Consumer<IndexEvent> done, Clock clock) {
        SqlIdentifiers.quote(schema);
        this.dataSource = dataSource;
        this.schema = schema;
        this.config = config;
        this.instance = instance;
        this.done = done;
        this.clock = clock;
        this.history = new MaintenanceHistory(schema);
        this.indexes = new IndexQueries(schema);
        try (Connection c = dataSource.getConnection()) {
            history.create(c);
        } catch (SQLException e) {
            throw new MaintenanceException("cannot create " + schema + ".maintenance_history: " + e.getMessage(), e);
        }
    }

    /**
     * After a crash: actions still marked running whose index lock is free were interrupted (their
     * executor is gone), and the invalid index an interrupted concurrent build leaves is dropped.
     */
    public int recover() {
        int interrupted = 0;
        try (Connection c = dataSource.getConnection()) {
            for (HistoryEntry e : history.running(c)) {
                if (tryLock(c, e.index())) {
                    try {
                        history.finish(c, e.id(), "interrupted", "its executor stopped before the end (found by "
                                + instance + ")", null);
                        interrupted++;
                        log.warn("maintenance {} of {} started {} by {} was interrupted; it runs again when asked",
                                e.action(), e.index(), e.startedAt(), e.instance());
                    } finally {
                        unlock(c, e.index());
                    }
                }
            }
        } catch (SQLException e) {
            log.warn("maintenance history not recovered now: {}", e.toString());
        }
        cleanUpQuietly();
        return interrupted;
    }

    /** The build running now, if any. */
    public Optional<Progress> progress() {
        return Optional.ofNullable(progress.get());
    }

    /** Cancels the action running now (a shutdown); its command stays uncommitted and runs again. */
    public void cancel() {
        closing = true;
        Statement st = running.get();
        if (st != null) {
            try {
                st.cancel();
            } catch (SQLException e) {
                log.warn("cannot cancel the running maintenance statement: {}", e.toString());
            }
        }
    }

    private final java.util.Map<Action, java.util.concurrent.atomic.DoubleAdder> seconds =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Seconds spent on actions of a kind since start. */
    public double seconds(Action action) {
        var s = seconds.get(action);
        return s == null ? 0 : s.sum();
    }

    /** Actions of a kind that ended so, since start. */
    public long count(Action action, Outcome outcome) {
        var n = outcomes.get(action + "/" + outcome);
        return n == null ? 0 : n.get();
    }

    /** Runs one command to its end; returns how it ended. Throws only when the database is unreachable. */
    public Result execute(MaintenanceCommand cmd) {
        long start = System.nanoTime();
        Result r = executeOnce(cmd);
        seconds.computeIfAbsent(cmd.action(), k -> new java.util.concurrent.atomic.DoubleAdder())
                .add((System.nanoTime() - start) / 1e9);
        outcomes.computeIfAbsent(cmd.action() + "/" + r.outcome(), k -> new java.util.concurrent.atomic.AtomicLong())
                .incrementAndGet();
        return r;
    }

    private Result executeOnce(MaintenanceCommand cmd) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            Optional<IndexedTable> target = indexes.byIndex(c, cmd.index());
            if (target.isEmpty() || !target.get().exists()) {
                return skip(c, cmd, "the index no longer exists (its generation was dropped or replaced)");
            }
            if (!tryLock(c, cmd.index())) {
                return skip(c, cmd, "another instance is running maintenance on this index now");
            }
            try {
                Instant now = clock.instant();
                Instant issued = Instant.ofEpochMilli(cmd.issuedAt());
                if (Duration.between(issued, now).compareTo(MAX_COMMAND_AGE) > 0) {
                    return skip(c, cmd, "it was asked for " + HistoryEntry.ago(issued, now) + "; the policy asks again"
                            + " if it is still needed");
                }
                Optional<Instant> built = history.lastSucceeded(c, cmd.index(), Action.REINDEX.name());
                Optional<Instant> rebuilt = history.lastSucceeded(c, cmd.index(), Action.REBUILD.name());
                Instant lastBuild = later(built.orElse(null), rebuilt.orElse(null));
                if (cmd.action() != Action.VACUUM && lastBuild != null && lastBuild.isAfter(issued)) {
                    return skip(c, cmd, "the index was rebuilt " + HistoryEntry.ago(lastBuild, now)
                            + ", after this was asked for");
                }
                Optional<Instant> last = history.lastSucceeded(c, cmd.index(), cmd.action().name());
                if (last.isPresent() && Duration.between(last.get(), now).compareTo(config.cooldown()) < 0) {
                    return skip(c, cmd, "it succeeded " + HistoryEntry.ago(last.get(), now) + " (cooldown "
                            + config.cooldown().toMinutes() + " min)");
                }
                return run(c, cmd, target.get());
            } finally {
                resetSession(c);
                unlock(c, cmd.index());
            }
        } catch (SQLException e) {
            throw new MaintenanceException("maintenance " + cmd.action() + " of " + cmd.index() + " could not run: "
                    + e.getMessage(), e);
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private Result skip(Connection c, MaintenanceCommand cmd, String why) throws SQLException {
        history.skipped(c, cmd, instance, why);
        log.info("maintenance {} of {} skipped: {}", cmd.action(), cmd.index(), why);
        return new Result(Outcome.SKIPPED, why);
    }

    private Result run(Connection c, MaintenanceCommand cmd, IndexedTable t) throws SQLException {
        long id = history.start(c, cmd, instance);
        log.info("maintenance {} of {} starts: {}", cmd.action(), cmd.index(), cmd.reason());
        List<String> notes = new ArrayList<>();
        boolean reindexed = cmd.action() != Action.VACUUM;
        try {
            cleanUpQuietly();
            PgvectorVersion pgvector = new HealthQueries(schema).pgvector(c);
            prepareSession(c, t, cmd, pgvector, notes);
            int m = t.m();
            switch (cmd.action()) {
                case REINDEX -> reindex(c, t, cmd.action(), notes);
                case VACUUM -> {
                    if (pgvector != null && !pgvector.hnswVacuumSafeBesideInserts()) {
                        notes.add("pgvector " + pgvector + " < 0.8.4: reindexed concurrently before the vacuum"
                                + " (pgvector#993)");
                        reindex(c, t, cmd.action(), notes);
                        reindexed = true;
                    }
                    vacuum(c, t, notes);
                }
                case REBUILD -> {
                    rebuild(c, t, cmd.m(), cmd.efConstruction(), notes);
                    notes.add("m " + t.m() + " -> " + cmd.m() + ", ef_construction " + t.efConstruction() + " -> "
                            + cmd.efConstruction());
                    m = cmd.m();
                }
            }
            requireValid(c, t);
            long rows = indexes.count(c, t.table());
            long dead = indexes.byIndex(c, t.index()).map(IndexedTable::deadTuples).orElse(-1L);
            String detail = String.join("; ", notes);
            history.finish(c, id, "succeeded", detail, rows);
            log.info("maintenance {} of {} succeeded ({} rows{})", cmd.action(), cmd.index(), rows,
                    detail.isEmpty() ? "" : "; " + detail);
            if (reindexed && cmd.action() == Action.VACUUM) {
                // the index was rebuilt too: growth and churn count from here
                report(t, Action.REINDEX.name(), rows, dead, m);
            }
            report(t, cmd.action().name(), rows, dead, m);
            return new Result(Outcome.SUCCEEDED, detail);
        } catch (SQLException e) {
            boolean interrupted = closing || QUERY_CANCELED.equals(e.getSQLState()) || ADMIN_SHUTDOWN.equals(e.getSQLState());
            return ended(cmd, id, interrupted ? Outcome.INTERRUPTED : Outcome.FAILED,
                    e.getMessage() + " (SQLState " + e.getSQLState() + ")");
        } catch (RuntimeException e) {
            // a failure of this action, not of the worker: recorded, and the next command runs
            return ended(cmd, id, Outcome.FAILED, e.toString());
        }
    }

    private Result ended(MaintenanceCommand cmd, long id, Outcome outcome, String why) {
        finishQuietly(id, outcome.name().toLowerCase(Locale.ROOT), why);
        cleanUpQuietly();
        log.warn("maintenance {} of {} {}: {}", cmd.action(), cmd.index(), outcome.name().toLowerCase(Locale.ROOT), why);
        return new Result(outcome, why);
    }

    private void report(IndexedTable t, String action, long rows, long dead, int m) {
        try {
            done.accept(IndexEvent.done(t.collection(), t.generation(), t.index(), t.table(), action, rows, dead, m,
                    clock.millis()));
        } catch (RuntimeException e) {
            log.warn("the end of maintenance {} of {} was not reported: {}", action, t.index(), e.toString());
        }
    }

    /**
     * maintenance_work_mem sized so the graph fits ({@link HnswBuildMemory}), within the configured
     * bound; parallel workers only where pgvector's parallel build is safe.
     */
    private void prepareSession(Connection c, IndexedTable t, MaintenanceCommand cmd, PgvectorVersion pgvector,
                                List<String> notes) throws SQLException {
        int m = cmd.action() == Action.REBUILD ? cmd.m() : t.m();
        long rows = Math.max(Math.max(t.liveTuples(), cmd.rows()), 1);
        long wantedMb = HnswBuildMemory.megabytes(rows, t.dimensions(), m);
        long mb = Math.min(wantedMb, config.maxWorkMemMb());
        if (wantedMb > mb) {
            notes.add("the graph wants ~" + wantedMb + " MB; maintenance_work_mem capped at " + mb + " MB by "
                    + MaintenanceConfig.MAX_WORK_MEM_MB + " (raise it, within the server's memory, for faster builds)");
        }
        int workers = pgvector != null && pgvector.parallelHnswBuildSafe() ? config.parallelWorkers() : 0;
        if (workers == 0 && config.parallelWorkers() > 0) {
            notes.add("pgvector " + pgvector + " < 0.8.2: built without parallel workers (CVE-2026-3172)");
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET maintenance_work_mem = '" + mb + "MB'");
            st.execute("SET max_parallel_maintenance_workers = " + workers);
            // A role's or database's statement_timeout would cancel every build longer than it, and a
            // cancel counts as interrupted: the same build would start again and again for a day.
            st.execute("SET statement_timeout = 0");
        }
        // If this process dies mid-build, the server stops the build too (PostgreSQL 14+) instead of
        // finishing it for nobody; the next start drops the invalid index it leaves and runs it again.
        try (Statement st = c.createStatement()) {
            st.execute("SET client_connection_check_interval = '5s'");
        } catch (SQLException e) {
            log.debug("client_connection_check_interval not available: {}", e.toString());
        }
    }

    private void reindex(Connection c, IndexedTable t, Action action, List<String> notes) throws SQLException {
        execTracked(c, "REINDEX INDEX CONCURRENTLY " + SqlIdentifiers.qualified(schema, t.index()), t.index(),
                action.name(), notes);
    }

    private void vacuum(Connection c, IndexedTable t, List<String> notes) throws SQLException {
        execTracked(c, "VACUUM (ANALYZE) " + SqlIdentifiers.qualified(schema, t.table()), t.index(), "VACUUM", notes);
    }

    /**
     * A new index with the new parameters, built beside the old; the two swap names in one short
     * transaction, so search always has an index, and the old one is dropped concurrently.
     */
    private void rebuild(Connection c, IndexedTable t, int m, int efConstruction, List<String> notes)
            throws SQLException {
        String columns = columnsOf(c, t.index());
        String next = t.index() + "_next";
        String retiring = t.index() + "_old";
        // Leftovers of an earlier rebuild that died half-way: valid or not, they are not ours to keep.
        dropConcurrently(c, next);
        dropConcurrently(c, retiring);
        try {
            execTracked(c, "CREATE INDEX CONCURRENTLY " + SqlIdentifiers.quote(next) + " ON "
                    + SqlIdentifiers.qualified(schema, t.table()) + " USING hnsw (" + columns + ") WITH (m = " + m
                    + ", ef_construction = " + efConstruction + ")", next, "REBUILD", notes);
            requireValidIndex(c, next);
            swap(c, t, next, retiring, m, efConstruction);
        } catch (SQLException | RuntimeException e) {
            dropQuietly(next);
            throw e;
        }
        try {
            dropConcurrently(c, retiring);
        } catch (SQLException e) {
            log.warn("the replaced index {} is dropped at the next rebuild: {}", retiring, e.toString());
        }
    }

    private void dropConcurrently(Connection c, String index) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP INDEX CONCURRENTLY IF EXISTS " + SqlIdentifiers.qualified(schema, index));
        }
    }

    private void dropQuietly(String index) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            dropConcurrently(c, index);
        } catch (SQLException e) {
            log.warn("index {} of a failed rebuild is dropped at the next one: {}", index, e.toString());
        }
    }

    /** The two indexes swap names in one short transaction, so search always has an index. */
    private void swap(Connection c, IndexedTable t, String next, String retiring, int m, int efConstruction)
            throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement();
             PreparedStatement ps = c.prepareStatement("UPDATE " + SqlIdentifiers.qualified(schema, "generations")
                     + " SET hnsw_m = ?, hnsw_ef_construction = ? WHERE index_name = ?")) {
            st.execute("SET LOCAL lock_timeout = '10s'");
            st.execute("ALTER INDEX " + SqlIdentifiers.qualified(schema, t.index()) + " RENAME TO " + SqlIdentifiers.quote(retiring));
            st.execute("ALTER INDEX " + SqlIdentifiers.qualified(schema, next) + " RENAME TO " + SqlIdentifiers.quote(t.index()));
            ps.setInt(1, m);
            ps.setInt(2, efConstruction);
            ps.setString(3, t.index());
            ps.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private String columnsOf(Connection c, String index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_indexdef(to_regclass(?))")) {
            ps.setString(1, SqlIdentifiers.qualified(schema, index));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Matcher m = HNSW_COLUMNS.matcher(rs.getString(1));
                if (!m.find()) {
                    throw new MaintenanceException("index " + index + " is not an HNSW index: " + rs.getString(1), null);
                }
                return m.group(1);
            }
        }
    }

    /**
     * Runs a long statement, its progress followed from another connection meanwhile; pgvector's
     * notice that the graph outgrew its memory becomes a note.
     */
    private void execTracked(Connection c, String sql, String index, String action, List<String> notes)
            throws SQLException {
        int pid = pid(c);
        Instant started = clock.instant();
        Thread watcher = new Thread(() -> watch(pid, index, action, started), "embedstream-maintenance-progress");
        watcher.setDaemon(true);
        watcher.start();
        try (Statement st = c.createStatement()) {
            running.set(st);
            if (closing) {
                throw new SQLException("shutting down", QUERY_CANCELED);
            }
            st.execute(sql);
            // where the bound held the memory back, the note of prepareSession already names the setting
            HnswBuildMemory.outgrown(st).ifPresent(n -> {
                String note = "pgvector: " + n + " (the build went on on disk, more slowly)";
                notes.add(note);
                log.warn("maintenance {} of {}: {}", action, index, note);
            });
        } finally {
            running.set(null);
            watcher.interrupt();
            try {
                watcher.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            progress.set(null);
        }
    }

    /** Polls the build's progress, borrowing a connection per poll: the pool is shared with the writer. */
    private void watch(int pid, String index, String action, Instant started) {
        long lastLog = 0;
        progress.set(new Progress(index, action, "running", 0, 0, 0, 0, started));
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                Progress p = poll(pid, index, action, started);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                progress.set(p);
                if (System.nanoTime() - lastLog > Duration.ofSeconds(10).toNanos()) {
                    log.info("maintenance {}", p.describe());
                    lastLog = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Progress poll(int pid, String index, String action, Instant started) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT phase, coalesce(tuples_done, 0), coalesce(tuples_total, 0),"
                     + " coalesce(blocks_done, 0), coalesce(blocks_total, 0) FROM pg_stat_progress_create_index WHERE pid = ?")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Progress(index, action, rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getLong(4), rs.getLong(5), started) : new Progress(index, action, "running", 0, 0, 0, 0, started);
            }
        } catch (SQLException e) {
            log.debug("progress of {} not readable: {}", index, e.toString());
            return new Progress(index, action, "running", 0, 0, 0, 0, started);
        }
    }

    private void requireValid(Connection c, IndexedTable t) throws SQLException {
        requireValidIndex(c, t.index());
    }

    /** A concurrent build can end "without error" and leave the index invalid (pgvector#925). */
    private void requireValidIndex(Connection c, String index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT x.indisvalid FROM pg_index x WHERE x.indexrelid = to_regclass(?)")) {
            ps.setString(1, SqlIdentifiers.qualified(schema, index));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    throw new SQLException("index " + index + " is not valid after its build", "XX000");
                }
            }
        }
    }

    private void finishQuietly(long id, String outcome, String detail) {
        try (Connection c = dataSource.getConnection()) {
            history.finish(c, id, outcome, detail, null);
        } catch (SQLException e) {
            log.warn("cannot record the end of maintenance action {}: {}", id, e.toString());
        }
    }

    private void cleanUpQuietly() {
        try {
            new IndexHealth(dataSource, schema).dropInvalid();
        } catch (RuntimeException e) {
            log.warn("invalid indexes left by a failed build could not be dropped now: {}", e.toString());
        }
    }

    private boolean tryLock(Connection c, String index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, lockKey(index));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The connection goes back to a pool the writer shares: none of the build's settings may stay on it. */
    private static void resetSession(Connection c) {
        for (String setting : List.of("maintenance_work_mem", "max_parallel_maintenance_workers",
                "client_connection_check_interval", "statement_timeout")) {
            try (Statement st = c.createStatement()) {
                st.execute("RESET " + setting);
            } catch (SQLException e) {
                log.debug("{} not reset (the session may be gone with it): {}", setting, e.toString());
            }
        }
    }

    /** A session that is gone has released its locks with it. */
    private void unlock(Connection c, String index) {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, lockKey(index));
            ps.execute();
        } catch (SQLException e) {
            log.debug("advisory lock of {} released with its session: {}", index, e.toString());
        }
    }

    private long lockKey(String index) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("embedstream.maintenance:" + schema + "." + index)
                    .getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (h[i] & 0xff);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
