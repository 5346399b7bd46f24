package dev.embedstream.ingest;

import dev.embedstream.contracts.ContentHash;
import dev.embedstream.contracts.Document;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.ingest.internal.SourceTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the rows of a source table whose embeddings are missing or stale. Rows are read in key
 * order, a bounded page per short autocommit query (keyset pagination: no long transaction, no
 * lock beyond a plain read), compared by text hash with every live generation in the same query,
 * and only the rows some generation lacks are published. A checkpoint after each acknowledged page
 * lets a crashed run resume where it stopped; rows gone from the table get their vectors removed.
 */
public final class TableBackfill {

    public static final int DEFAULT_BATCH_ROWS = 500;
    /** Rows changed this long before the last poll's newest change are read again (late commits). */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(TableBackfill.class);
    private static final String NON_BLANK = "[^[:space:]]";

    /** Counts of a run so far; {@code total} is the table's row count when the run started. */
    public record Progress(long total, long scanned, long current, long stale, long missing, long empty,
                           long published, long deadLettered, long deleted, boolean resumed) {

        Progress plus(Progress p) {
            return new Progress(total, scanned + p.scanned, current + p.current, stale + p.stale, missing + p.missing,
                    empty + p.empty, published + p.published, deadLettered + p.deadLettered, deleted + p.deleted, resumed);
        }

        Progress withDeleted(long n) {
            return new Progress(total, scanned, current, stale, missing, empty, published, deadLettered, deleted + n, resumed);
        }
    }

    /** Told after every page; may throw to stop the run (the checkpoint is already saved). */
    @FunctionalInterface
    public interface Listener {
        void progress(Progress progress);
    }

    private final DataSource dataSource;
    private final String checkpoints;
    private final String collection;
    private final TableSource source;
    private final Supplier<List<String>> docsTables;
    private final DocumentPublisher publisher;
    private final int batchRows;
    private final Listener listener;

    /**
     * @param checkpointSchema schema of embedstream's own tables (the checkpoint lives there)
     * @param docsTables       qualified bookkeeping tables of the collection's live generations, asked afresh per page
     * @param publisher        where rows go; null for a dry run
     */
    public TableBackfill(DataSource dataSource, String checkpointSchema, String collection, TableSource source,
                         Supplier<List<String>> docsTables, DocumentPublisher publisher, int batchRows, Listener listener) {
        this.dataSource = dataSource;
        this.checkpoints = SqlIdentifiers.qualified(checkpointSchema, "backfill_checkpoints");
        this.collection = collection;
        this.source = source;
        this.docsTables = docsTables;
        this.publisher = publisher;
        if (batchRows < 1 || batchRows > 50_000) {
            throw new InvalidInputException("batch size must be in 1..50000, got " + batchRows);
        }
        this.batchRows = batchRows;
        this.listener = listener;
    }

    /**
     * Checks that the table and its columns exist, the key is unique and the key's and
     * {@code updated_at}'s types are supported; throws an {@link InvalidInputException} saying what is not.
     */
    public static void validate(DataSource dataSource, TableSource source) {
        try (Connection c = dataSource.getConnection()) {
            SourceTable.inspect(c, source);
        } catch (SQLException e) {
            throw new IngestException("cannot inspect " + source.qualifiedTable(), e);
        }
    }

    /**
     * Scans the whole table (from the checkpoint, unless {@code restart}), publishes what is missing
     * or stale, then removes the vectors of rows that are gone. The checkpoint is cleared at the end.
     */
    public Progress run(boolean restart) {
        try (Connection c = dataSource.getConnection()) {
            SourceTable table = SourceTable.inspect(c, source);
            createCheckpointTable(c);
            if (restart) {
                clearCheckpoint(c);
            }
            Checkpoint from = publisher == null ? Checkpoint.NONE : readCheckpoint(c);
            Progress p = new Progress(count(c), from.scanned(), 0, 0, 0, 0, from.published(), 0, 0, from.lastKey() != null);
            if (p.resumed()) {
                log.info("backfill of {} resumes after key {} ({} rows scanned before)", collection, from.lastKey(), from.scanned());
            }
            String lastKey = from.lastKey();
            while (true) {
                Page page = page(c, table, lastKey, null);
                p = p.plus(page.progress());
                if (page.lastKey() == null) {
                    break;
                }
                lastKey = page.lastKey();
                if (publisher != null) {
                    awaitAll(page.sends());
                    saveCheckpoint(c, lastKey, p.scanned(), p.published());
                }
                listener.progress(p);
            }
            p = p.withDeleted(sweepDeletes(c));
            if (publisher != null) {
                clearCheckpoint(c);
            }
            listener.progress(p);
            return p;
        } catch (SQLException e) {
            throw new IngestException("backfill of " + collection + " from " + source.qualifiedTable() + " failed", e);
        }
    }

    /**
     * After a full run, keeps polling the {@code updated_at} column for new and changed rows, and
     * sweeps for deleted ones every {@code sweepEvery}, until {@code stopped} says so.
     */
    public void watch(Duration interval, Duration lookback, Duration sweepEvery, BooleanSupplier stopped, Clock clock,
                      String startWatermark) {
        if (source.updatedAtColumn() == null) {
            throw new InvalidInputException("watch mode needs an updated_at column; collection '" + collection
                    + "' has none (re-run backfill to pick up changes instead)");
        }
        String watermark = startWatermark;
        Instant lastSweep = clock.instant();
        InFlight inFlight = new InFlight();
        try (Connection c = dataSource.getConnection()) {
            SourceTable table = SourceTable.inspect(c, source);
            while (!stopped.getAsBoolean()) {
                Progress p = new Progress(0, 0, 0, 0, 0, 0, 0, 0, 0, false);
                String newest = watermark;
                String afterTime = null;
                String afterKey = null;
                while (true) {
                    Page page = watermark == null ? page(c, table, afterKey, inFlight)
                            : changedPage(c, table, watermark, lookback, afterTime, afterKey, inFlight);
                    p = p.plus(page.progress());
                    if (page.lastKey() == null) {
                        break;
                    }
                    afterKey = page.lastKey();
                    afterTime = page.lastTime();
                    if (page.lastTime() != null && (newest == null || later(c, table, page.lastTime(), newest))) {
                        newest = page.lastTime();
                    }
                    awaitAll(page.sends());
                }
                inFlight.endCycle();
                watermark = newest != null ? newest : currentWatermark();
                if (Duration.between(lastSweep, clock.instant()).compareTo(sweepEvery) >= 0) {
                    p = p.withDeleted(sweepDeletes(c));
                    lastSweep = clock.instant();
                }
                if (p.published() + p.deleted() > 0) {
                    listener.progress(p);
                }
                sleep(interval, stopped);
            }
        } catch (SQLException e) {
            throw new IngestException("watching " + source.qualifiedTable() + " for collection " + collection + " failed", e);
        }
    }

    /** The newest {@code updated_at} of the table now, where a watch that follows a full run starts. */
    public String currentWatermark() {
        if (source.updatedAtColumn() == null) {
            return null;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT max(t." + SqlIdentifiers.quote(source.updatedAtColumn())
                     + ")::text FROM " + source.qualifiedTable() + " t");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IngestException("reading the newest change of " + source.qualifiedTable() + " failed", e);
        }
    }

    private record Page(Progress progress, String lastKey, String lastTime, List<CompletableFuture<?>> sends) {
    }

    private Page page(Connection c, SourceTable table, String afterKey, InFlight inFlight) throws SQLException {
        String key = "t." + SqlIdentifiers.quote(source.keyColumn());
        String where = afterKey == null ? "" : " WHERE " + key + " > CAST(? AS " + table.keyType() + ")";
        List<Object> params = new ArrayList<>();
        if (afterKey != null) {
            params.add(afterKey);
        }
        return readPage(c, where, key, params, false, inFlight);
    }

    private Page changedPage(Connection c, SourceTable table, String watermark, Duration lookback, String afterTime,
                             String afterKey, InFlight inFlight) throws SQLException {
        String key = "t." + SqlIdentifiers.quote(source.keyColumn());
        String upd = "t." + SqlIdentifiers.quote(source.updatedAtColumn());
        String time = "CAST(? AS " + table.updatedAtType() + ")";
        List<Object> params = new ArrayList<>();
        String where;
        if (afterTime != null) {
            where = " WHERE (" + upd + ", " + key + ") > (" + time + ", CAST(? AS " + table.keyType() + "))";
            params.add(afterTime);
            params.add(afterKey);
        } else if (isNumeric(table.updatedAtType())) {
            where = " WHERE " + upd + " >= " + time;
            params.add(watermark);
        } else {
            where = " WHERE " + upd + " >= " + time + " - CAST(? AS interval)";
            params.add(watermark);
            params.add(lookback.toMillis() + " milliseconds");
        }
        return readPage(c, where, upd + ", " + key, params, true, inFlight);
    }

    private static boolean isNumeric(String type) {
        return type.equals("bigint") || type.equals("integer");
    }

    private Page readPage(Connection c, String where, String order, List<Object> params, boolean withTime,
                          InFlight inFlight) throws SQLException {
        List<String> tables = docsTables.get();
        String text = source.textSql("t");
        String upd = source.updatedAtColumn() == null ? "NULL::text" : "t." + SqlIdentifiers.quote(source.updatedAtColumn()) + "::text";
        StringBuilder sql = new StringBuilder("SELECT s.id, s.h, s.upd, s.txt ~ '" + NON_BLANK + "', ");
        StringBuilder missing = new StringBuilder("false");
        StringBuilder pending = new StringBuilder("false");
        StringBuilder joins = new StringBuilder();
        for (int i = 0; i < tables.size(); i++) {
            missing.append(" OR d").append(i).append(".doc_id IS NULL");
            pending.append(" OR d").append(i).append(".text_hash IS DISTINCT FROM s.h");
            joins.append(" LEFT JOIN ").append(tables.get(i)).append(" d").append(i).append(" ON d").append(i)
                    .append(".doc_id = s.id");
        }
        sql.append("(").append(missing).append("), (").append(pending).append("), CASE WHEN ").append(pending)
                .append(" THEN s.txt END FROM (SELECT ").append(source.idSql("t")).append(" AS id, ").append(text)
                .append(" AS txt, ").append(ContentHash.ofTextSql(text)).append(" AS h, ").append(upd).append(" AS upd, ")
                .append(order.contains(",") ? "ROW(" + order + ")" : order).append(" AS k FROM ")
                .append(source.qualifiedTable()).append(" t").append(where).append(" ORDER BY ").append(order)
                .append(" LIMIT ?) s").append(joins).append(" ORDER BY s.k");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String p : source.textParameters()) {
                ps.setString(i++, p);
            }
            for (String p : source.textParameters()) {
                ps.setString(i++, p);
            }
            for (Object p : params) {
                ps.setObject(i++, p);
            }
            ps.setInt(i, batchRows);
            return collect(ps, withTime, inFlight);
        }
    }

    private Page collect(PreparedStatement ps, boolean withTime, InFlight inFlight) throws SQLException {
        long scanned = 0, current = 0, stale = 0, missing = 0, empty = 0, published = 0, dead = 0;
        String lastKey = null;
        String lastTime = null;
        List<CompletableFuture<?>> sends = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                scanned++;
                String id = rs.getString(1);
                lastKey = id;
                lastTime = rs.getString(3);
                if (!rs.getBoolean(4)) {
                    empty++;
                } else if (!rs.getBoolean(6)) {
                    current++;
                } else {
                    if (rs.getBoolean(5)) {
                        missing++;
                    } else {
                        stale++;
                    }
                    String hash = rs.getString(2);
                    if (inFlight != null && inFlight.alreadySent(id, hash, lastTime)) {
                        // re-read inside the lookback before the pipeline wrote it: already on its way
                        continue;
                    }
                    String text = rs.getString(7);
                    String badId = invalidId(id);
                    if (inFlight != null) {
                        inFlight.sent(id, hash, lastTime);
                    }
                    if (badId != null) {
                        // No key a consumer could address it by: it cannot even be dead-lettered.
                        log.warn("collection {}: row with key {} of {} is skipped: {}", collection,
                                dev.embedstream.contracts.Texts.quoteForMessage(id), source.qualifiedTable(), badId);
                        dead++;
                    } else if (publisher != null) {
                        try {
                            sends.add(publisher.publish(new Document(collection, id, text)));
                            published++;
                        } catch (InvalidInputException e) {
                            sends.add(publisher.deadLetter(collection, id, text, e.getMessage()));
                            dead++;
                        }
                    }
                }
            }
        }
        Progress p = new Progress(0, scanned, current, stale, missing, empty, published, dead, 0, false);
        return new Page(p, lastKey, withTime ? lastTime : null, sends);
    }

    /**
     * What one watch published and has not yet seen written. Each poll re-reads the lookback window,
     * where rows a bulk change touched wait for the pipeline; without this every poll would publish
     * them again, and each copy is embedded again (paid, with a provider). A row changed again (its
     * text, or only its {@code updated_at}: a touch, a delete and re-insert) goes out again. Only the
     * keys the last poll read as waiting are kept.
     */
    private static final class InFlight {
        private final Map<String, String> sent = new HashMap<>();
        private final Set<String> seen = new HashSet<>();

        boolean alreadySent(String id, String hash, String updatedAt) {
            seen.add(id);
            return hash != null && (hash + '\u0000' + updatedAt).equals(sent.get(id));
        }

        void sent(String id, String hash, String updatedAt) {
            sent.put(id, hash + '\u0000' + updatedAt);
        }

        void endCycle() {
            sent.keySet().retainAll(seen);
            seen.clear();
        }
    }

    private static String invalidId(String id) {
        try {
            dev.embedstream.contracts.DocumentId.requireValid(id);
            return null;
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    private boolean later(Connection c, SourceTable table, String a, String b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS " + table.updatedAtType() + ") > CAST(? AS "
                + table.updatedAtType() + ")")) {
            ps.setString(1, a);
            ps.setString(2, b);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Publishes deletes for documents whose row is gone (or whose text became blank). */
    private long sweepDeletes(Connection c) throws SQLException {
        Set<String> gone = new LinkedHashSet<>();
        String text = source.textSql("t");
        for (String docs : docsTables.get()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT d.doc_id FROM " + docs + " d LEFT JOIN (SELECT "
                    + source.idSql("t") + " AS id FROM " + source.qualifiedTable() + " t WHERE " + text + " ~ '"
                    + NON_BLANK + "') s ON s.id = d.doc_id WHERE s.id IS NULL LIMIT 100000")) {
                int i = 1;
                for (String p : source.textParameters()) {
                    ps.setString(i++, p);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        gone.add(rs.getString(1));
                    }
                }
            }
        }
        if (publisher != null && !gone.isEmpty()) {
            List<CompletableFuture<?>> sends = new ArrayList<>(gone.size());
            gone.forEach(id -> sends.add(publisher.delete(collection, id)));
            awaitAll(sends);
        }
        return gone.size();
    }

    private long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + source.qualifiedTable());
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private record Checkpoint(String lastKey, long scanned, long published) {
        static final Checkpoint NONE = new Checkpoint(null, 0, 0);
    }

    private void createCheckpointTable(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("CREATE TABLE IF NOT EXISTS " + checkpoints
                + " (collection text PRIMARY KEY, last_key text NOT NULL, scanned bigint NOT NULL,"
                + " published bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())")) {
            ps.execute();
        }
    }

    private Checkpoint readCheckpoint(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_key, scanned, published FROM " + checkpoints
                + " WHERE collection = ?")) {
            ps.setString(1, collection);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Checkpoint(rs.getString(1), rs.getLong(2), rs.getLong(3)) : Checkpoint.NONE;
            }
        }
    }

    private void saveCheckpoint(Connection c, String lastKey, long scanned, long published) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + checkpoints
                + " (collection, last_key, scanned, published, updated_at) VALUES (?,?,?,?, now())"
                + " ON CONFLICT (collection) DO UPDATE SET last_key = EXCLUDED.last_key, scanned = EXCLUDED.scanned,"
                + " published = EXCLUDED.published, updated_at = now()")) {
            ps.setString(1, collection);
            ps.setString(2, lastKey);
            ps.setLong(3, scanned);
            ps.setLong(4, published);
            ps.executeUpdate();
        }
    }

    private void clearCheckpoint(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + checkpoints + " WHERE collection = ?")) {
            ps.setString(1, collection);
            ps.executeUpdate();
        }
    }

    /** Waits for Kafka to acknowledge a page; the checkpoint moves only past acknowledged rows. */
    private void awaitAll(List<CompletableFuture<?>> sends) {
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while publishing rows of " + collection, e);
        } catch (ExecutionException e) {
            throw new IngestException("Kafka did not take rows of " + collection + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void sleep(Duration interval, BooleanSupplier stopped) {
        long until = System.nanoTime() + interval.toNanos();
        while (!stopped.getAsBoolean() && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
