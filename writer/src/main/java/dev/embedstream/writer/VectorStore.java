package dev.embedstream.writer;

import com.pgvector.PGvector;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.embedstream.contracts.CollectionName;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.HnswBuildMemory;
import dev.embedstream.contracts.InvalidInputException;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.writer.internal.BatchUpserter;
import dev.embedstream.writer.internal.Catalog;
import dev.embedstream.writer.internal.ChangeReducer;
import dev.embedstream.writer.internal.IndexTally;
import dev.embedstream.writer.internal.CoverageQueries;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pgvector side of embedstream: idempotent batch writes into HNSW-indexed tables, search, coverage. */
public final class VectorStore implements AutoCloseable {

    /** ef_search when none is tuned: pgvector's default. */
    public static final int DEFAULT_EF_SEARCH = 40;
    /** Passed as ef_search: use the generation's tuned value ({@code embedstream tune}), else the default. */
    public static final int TUNED_EF_SEARCH = 0;

    private static final Logger log = LoggerFactory.getLogger(VectorStore.class);
    /** Session settings a build changes; reset before its connection goes back to the pool. */
    private static final List<String> BUILD_SETTINGS = List.of("maintenance_work_mem", "max_parallel_maintenance_workers",
            "statement_timeout", "client_connection_check_interval");
    private final WriterConfig config;
    private final HikariDataSource dataSource;
    private final Catalog catalog;
    private final BatchUpserter upserter;
    private final CoverageQueries coverage;
    private final Timer searchLatency;

    private VectorStore(WriterConfig config, HikariDataSource dataSource, MeterRegistry meters) {
        this.config = config;
        this.dataSource = dataSource;
        this.searchLatency = meters == null ? null : Timer.builder("embedstream.search.latency")
                .description("time of a nearest-neighbour search, from query to rows").publishPercentileHistogram()
                .register(meters);
        this.catalog = new Catalog(dataSource, config.schema());
        this.upserter = new BatchUpserter(config.schema());
        this.coverage = new CoverageQueries(config.schema());
    }

    /** Connects, creates the catalog if missing and reads the pgvector version. */
    public static VectorStore open(WriterConfig config) {
        return open(config, null);
    }

    /** As {@link #open(WriterConfig)}, with HikariCP's own pool metrics bound to {@code meters}. */
    public static VectorStore open(WriterConfig config, MeterRegistry meters) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("embedstream-" + config.schema());
        hikari.setInitializationFailTimeout(-1);
        hikari.setConnectionTimeout(10_000);
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        if (meters != null) {
            hikari.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(meters));
        }
        HikariDataSource ds = new HikariDataSource(hikari);
        VectorStore store = new VectorStore(config, ds, meters);
        try {
            store.catalog.migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return store;
    }

    public PgvectorVersion pgvectorVersion() {
        return catalog.pgvector();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public WriterConfig config() {
        return config;
    }

    /** Names of all collections. */
    public List<String> collections() {
        return catalog.names();
    }

    /** The collection as it is now (never cached: a cut-over elsewhere is seen at once). */
    public Optional<CollectionInfo> collection(String name) {
        return catalog.find(CollectionName.requireValid(name));
    }

    /** The named collections that exist, as they are now. */
    public Map<String, CollectionInfo> collections(Collection<String> names) {
        try (Connection c = dataSource.getConnection()) {
            return catalog.read(c, names, false);
        } catch (SQLException e) {
            throw new WriterException("cannot read collections " + names, e);
        }
    }

    /**
     * The collection, created with generation 1 of {@code model} when new. An existing collection is
     * returned unchanged: a different model is a re-embed, never a silent switch.
     */
    public CollectionInfo ensureCollection(String name, TableSource source, String provider, ModelId model,
                                           int chunkOverlap, int hnswM, int hnswEfConstruction) {
        return catalog.ensure(name, source, provider, model, chunkOverlap, hnswM, hnswEfConstruction);
    }

    /** Starts a re-embed: a building generation of {@code model} beside the active one. */
    public Generation addBuildingGeneration(String collection, String provider, ModelId model, int chunkOverlap,
                                            int hnswM, int hnswEfConstruction) {
        return catalog.addBuilding(collection, provider, model, chunkOverlap, hnswM, hnswEfConstruction);
    }

    /**
     * Builds a generation's HNSW index with {@code CREATE INDEX CONCURRENTLY}, so writes go on; an
     * invalid index left by an interrupted build is dropped first. {@code maintenance_work_mem} is
     * sized to the graph ({@link HnswBuildMemory}) up to the configured bound.
     */
    public IndexBuild buildIndex(Generation g) {
        String vec = catalog.qualified(g.vectorTable());
        String index = catalog.qualified(g.indexName());
        IndexBuild build;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            try {
                // A role's statement_timeout would cancel the drop's wait for other transactions, or a
                // long build part-way (leaving an invalid index).
                st.execute("SET statement_timeout = 0");
                if (invalidIndex(c, g.indexName())) {
                    st.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
                }
                build = buildWithSettings(c, st, g, vec);
            } finally {
                // the connection goes back to a pool shared with the writer: never with a build's settings
                for (String setting : BUILD_SETTINGS) {
                    resetQuietly(c, setting);
                }
            }
            // a concurrent build can end without an error and still leave the index invalid (pgvector#925):
            // then it is not recorded as built, and the next build drops it and starts again. An index
            // that is not there at all (dropped meanwhile) is not built either.
            if (!validIndex(c, g.indexName())) {
                throw new WriterException("the HNSW index of generation " + g.number() + " of " + g.collection()
                        + " was left invalid or missing after its build; run the build again", null);
            }
        } catch (SQLException e) {
            throw new WriterException("building the HNSW index of generation " + g.number() + " of " + g.collection()
                    + " failed", e);
        }
        catalog.markIndexBuilt(g.collection(), g.number());
        return build;
    }

    private IndexBuild buildWithSettings(Connection c, Statement st, Generation g, String vec) throws SQLException {
        try (Statement check = c.createStatement()) {
            // If this process is stopped mid-build (Ctrl-C on a backfill), the server stops the build too
            // (PostgreSQL 14+) rather than finishing it for nobody while the next run waits on it.
            check.execute("SET client_connection_check_interval = '5s'");
        } catch (SQLException e) {
            log.debug("client_connection_check_interval not available: {}", e.toString());
        }
        if (!pgvectorVersion().parallelHnswBuildSafe()) {
            // pgvector < 0.8.2 overflows a buffer in parallel HNSW builds (CVE-2026-3172).
            st.execute("SET max_parallel_maintenance_workers = 0");
        }
        long rows = rows(c, vec);
        long wantedMb = HnswBuildMemory.megabytes(rows, g.model().dimensions(), g.hnswM());
        long memoryMb = Math.min(wantedMb, config.maxWorkMemMb());
        st.execute("SET maintenance_work_mem = '" + memoryMb + "MB'");
        st.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS " + SqlIdentifiers.quote(g.indexName()) + " ON " + vec + " "
                + Catalog.hnswSpec(g));
        // read before any other statement on st: each execute clears the last one's warnings
        return new IndexBuild(rows, memoryMb, wantedMb, HnswBuildMemory.outgrown(st).orElse(null));
    }

    private static void resetQuietly(Connection c, String setting) {
        try (Statement st = c.createStatement()) {
            st.execute("RESET " + setting);
        } catch (SQLException e) {
            log.debug("{} not reset (the session may be gone with it): {}", setting, e.toString());
        }
    }

    /**
     * What an HNSW build was given: the table's rows, the {@code maintenance_work_mem} it ran with and
     * the memory its graph wanted, and pgvector's notice when the graph outgrew it part-way (null when
     * it fitted).
     */
    public record IndexBuild(long rows, long memoryMb, long wantedMb, String outgrown) {
        /**
         * Advice for the operator: when the bound held the build below what its graph wants, raise the
         * bound; when pgvector says the graph outgrew memory it was not held back from, the estimate was
         * short (rows counted while writes went on, or a pgvector that needs more).
         */
        public Optional<String> advice() {
            String notice = outgrown == null ? "" : " (pgvector: " + outgrown + ")";
            if (memoryMb < wantedMb) {
                return Optional.of(String.format("the graph of %,d rows wants ~%,d MB of maintenance_work_mem but %s"
                        + " allows %,d MB%s; raise it, within the server's memory, for faster builds", rows, wantedMb,
                        WriterConfig.MAX_WORK_MEM_MB, memoryMb, notice));
            }
            if (outgrown != null) {
                return Optional.of(String.format("the graph of %,d rows outgrew the %,d MB estimated for it%s; the build"
                        + " finished more slowly on disk", rows, memoryMb, notice));
            }
            return Optional.empty();
        }

        /** What the operator is told after the build: its time, rows and memory, and the advice if any. */
        public String report(double seconds) {
            return String.format("Index built in %.1f s (%,d rows, maintenance_work_mem %d MB).", seconds, rows, memoryMb)
                    + advice().map(a -> System.lineSeparator() + "Warning: " + a + ".").orElse("");
        }
    }

    private static long rows(Connection c, String vectorTable) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + vectorTable)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private boolean invalidIndex(Connection c, String indexName) throws SQLException {
        return Boolean.FALSE.equals(indexValidity(c, indexName));
    }

    private boolean validIndex(Connection c, String indexName) throws SQLException {
        return Boolean.TRUE.equals(indexValidity(c, indexName));
    }

    /** The index's {@code indisvalid}, or null when there is no such index. */
    private Boolean indexValidity(Connection c, String indexName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT x.indisvalid FROM pg_index x JOIN pg_class i ON i.oid ="
                + " x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = ? AND i.relname = ?")) {
            ps.setString(1, config.schema());
            ps.setString(2, indexName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    /** Atomically makes a built generation the one search reads. */
    public void cutOver(String collection, int generation) {
        catalog.cutOver(collection, generation);
    }

    /** Drops a retired or building generation's tables; false when already dropped. */
    public boolean dropGeneration(String collection, int generation) {
        return catalog.dropGeneration(collection, generation);
    }

    /**
     * Writes a batch in one transaction, each vector into the generation of its model. Vectors of a
     * model the collection does not hold are returned as rejected; vectors of a dropped generation
     * are ignored; everything else is committed, or nothing is (the exception says why).
     */
    public WriteResult write(List<Change> changes) {
        Map<String, String> refused = createMissingCollections(changes);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                WriteResult result = writeIn(c, changes, refused);
                c.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new WriterException("writing a batch of " + changes.size() + " changes failed", e);
        }
    }

    private WriteResult writeIn(Connection c, List<Change> changes, Map<String, String> refused)
            throws SQLException, IOException {
        Set<String> names = new LinkedHashSet<>();
        changes.forEach(ch -> names.add(ch.key().collection()));
        Map<String, CollectionInfo> infos = catalog.read(c, names, true);
        List<WriteResult.Rejected> rejected = new ArrayList<>();
        List<Change> accepted = new ArrayList<>();
        Map<String, Integer> ignored = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            CollectionInfo info = infos.get(change.key().collection());
            if (change instanceof Change.Upsert u) {
                Optional<Generation> g = info == null ? Optional.empty() : info.forModel(u.document().model());
                if (g.isEmpty()) {
                    String why = info == null ? refused.get(refusalKey(change.key().collection(), u.document().model())) : null;
                    rejected.add(new WriteResult.Rejected(i, change, why != null ? why : mismatch(info, u.document())));
                } else if (g.get().state().hasTables()) {
                    accepted.add(change);
                } else {
                    ignored.merge(info.name(), 1, Integer::sum);
                }
            } else if (info != null) {
                accepted.add(change);
            }
        }
        List<UpsertResult> results = new ArrayList<>();
        IndexTally tally = new IndexTally();
        for (var entry : ChangeReducer.reduce(accepted).entrySet()) {
            CollectionInfo info = infos.get(entry.getKey());
            results.add(apply(c, info, entry.getValue(), ignored.getOrDefault(info.name(), 0), tally));
        }
        return new WriteResult(results, rejected, tally.changes());
    }

    private UpsertResult apply(Connection c, CollectionInfo info, ChangeReducer.Reduced reduced, int ignored,
                               IndexTally tally) throws SQLException, IOException {
        int deleted = upserter.delete(c, info.withTables(), reduced.deletes(), tally);
        clearDeadLetters(c, info.name(), reduced.deletes());
        UpsertResult result = new UpsertResult(info.name(), 0, 0, 0, ignored, deleted, 0);
        Map<ModelId, List<EmbeddedDocument>> byModel = new LinkedHashMap<>();
        reduced.upserts().forEach(d -> byModel.computeIfAbsent(d.model(), m -> new ArrayList<>()).add(d));
        for (var e : byModel.entrySet()) {
            result = result.plus(upserter.upsert(c, info.forModel(e.getKey()).orElseThrow(), e.getValue(),
                    !info.isTableSourced(), tally));
        }
        return result;
    }

    private static String mismatch(CollectionInfo info, EmbeddedDocument d) {
        if (info == null) {
            return "collection '" + d.collection() + "' does not exist";
        }
        String live = String.join(", ", info.live().stream()
                .map(g -> g.model().key() + " (" + g.state().name().toLowerCase(java.util.Locale.ROOT) + ")").toList());
        return "collection '" + info.name() + "' holds vectors of " + live + ", not of " + d.model().key()
                + " (window " + d.model().maxTokens() + "); a model change goes through `embedstream reembed`";
    }

    /**
     * Collections that upserts name but that do not exist yet are created for the model of their
     * first vector. Returns, by collection and model, why one could not be (a model no HNSW index
     * can hold): those vectors are rejected with that reason, not retried for ever.
     */
    private Map<String, String> createMissingCollections(List<Change> changes) {
        Map<String, ModelId> wanted = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change instanceof Change.Upsert u) {
                wanted.putIfAbsent(u.document().collection(), u.document().model());
            }
        }
        if (wanted.isEmpty()) {
            return Map.of();
        }
        Set<String> existing = collections(wanted.keySet()).keySet();
        Map<String, String> refused = new HashMap<>();
        wanted.forEach((name, model) -> {
            if (!existing.contains(name)) {
                try {
                    catalog.ensure(name, null, Generation.providerOf(model), model,
                            dev.embedstream.contracts.Chunking.DEFAULT_OVERLAP_TOKENS, config.hnswM(), config.hnswEfConstruction());
                } catch (CollectionMismatchException e) {
                    refused.put(refusalKey(name, model), "collection '" + name + "' cannot be created: " + e.getMessage());
                }
            }
        });
        return refused;
    }

    private static String refusalKey(String collection, ModelId model) {
        return collection + '\u0000' + model.key();
    }

    /** A dead letter as the coverage report counts it. */
    public record DeadLetter(String collection, String id, String stage, String reason, String textHash) {
    }

    /** Records dead letters by document (the latest one of a document wins). */
    public void recordDeadLetters(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO " + catalog.qualified("dead_letters")
                     + " (collection, doc_id, stage, reason, text_hash, dead_at) VALUES (?,?,?,?,?, now())"
                     + " ON CONFLICT (collection, doc_id) DO UPDATE SET stage = EXCLUDED.stage, reason = EXCLUDED.reason,"
                     + " text_hash = EXCLUDED.text_hash, dead_at = EXCLUDED.dead_at")) {
            for (DeadLetter d : letters) {
                ps.setString(1, d.collection());
                ps.setString(2, d.id());
                ps.setString(3, d.stage());
                ps.setString(4, d.reason() == null ? "" : d.reason());
                ps.setString(5, d.textHash());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new WriterException("recording " + letters.size() + " dead letters failed", e);
        }
    }

    private void clearDeadLetters(Connection c, String collection, Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + catalog.qualified("dead_letters")
                + " WHERE collection = ? AND doc_id = ANY(?)")) {
            ps.setString(1, collection);
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /** Turns a query text into a vector of a given model: how search follows a cut-over. */
    @FunctionalInterface
    public interface QueryEmbedder {
        float[] embed(ModelId model, String text);
    }

    /**
     * The {@code k} chunks nearest to {@code text}, embedded with the model search reads now. A
     * cut-over between the two steps is harmless: the old generation is read whole, never a mix.
     */
    public List<SearchHit> search(String collection, QueryEmbedder embedder, String text, int k, int efSearch) {
        for (int attempt = 1; ; attempt++) {
            Generation g = requireCollection(collection).active();
            float[] query = embedder.embed(g.model(), text);
            try {
                return timed(() -> searchIn(g, query, k, efSearch));
            } catch (WriterException e) {
                // The generation read a moment ago was dropped since: read the catalog again, once.
                if (attempt > 1 || !(e.getCause() instanceof SQLException s) || !"42P01".equals(s.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** The {@code k} chunks nearest to {@code query} in the active generation, through the HNSW index. */
    public List<SearchHit> search(String collection, float[] query, int k, int efSearch) {
        Generation g = requireCollection(collection).active();
        return timed(() -> searchIn(g, query, k, efSearch));
    }

    private List<SearchHit> timed(java.util.function.Supplier<List<SearchHit>> search) {
        long start = System.nanoTime();
        try {
            return search.get();
        } finally {
            if (searchLatency != null) {
                searchLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }
    }

    private List<SearchHit> searchIn(Generation g, float[] query, int k, int efSearch) {
        requireQuery(g, query, k);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                setEfSearch(c, Math.max(efSearch > 0 ? efSearch : g.efSearch() != null ? g.efSearch() : DEFAULT_EF_SEARCH, k));
                List<SearchHit> hits = runSearch(c, g, query, k);
                c.commit();
                return hits;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new WriterException("search in collection " + g.collection() + " failed", e);
        }
    }

    /** The query plan of {@link #search}, to show that it uses the HNSW index. */
    public String explainSearch(String collection, float[] query, int k) {
        Generation g = requireCollection(collection).active();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN " + searchSql(g))) {
            PGvector.addVectorType(c);
            bindSearch(ps, query, k);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        } catch (SQLException e) {
            throw new WriterException("explain of a search in " + collection + " failed", e);
        }
    }

    /** What is stored for a document in one generation: its hashes, version and metadata. */
    public record StoredDocument(String contentHash, Long version, Map<String, Object> metadata) {
    }

    /** Stored state in the generation of {@code model} of those of {@code ids} it holds (none if no such generation). */
    public Map<String, StoredDocument> stored(String collection, ModelId model, Collection<String> ids) {
        // Rows migrated from the preview layout (no text hash, no copy) count as absent: published
        // again, they are embedded once more and gain both.
        Optional<Generation> g = collection(collection).flatMap(i -> i.forModel(model)).filter(x -> x.state().hasTables());
        if (g.isEmpty() || ids.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT doc_id, content_hash, version, metadata::text FROM "
                     + catalog.qualified(g.get().docsTable()) + " WHERE doc_id = ANY(?) AND text_hash <> ''")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            Map<String, StoredDocument> result = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long raw = rs.getLong(3);
                    Long version = rs.wasNull() ? null : raw; // wasNull speaks of the column read last
                    result.put(rs.getString(1), new StoredDocument(rs.getString(2), version, metadata(rs.getString(4))));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new WriterException("reading stored documents of " + collection, e);
        }
    }

    /** Stored state in the active generation. */
    public Map<String, StoredDocument> stored(String collection, Collection<String> ids) {
        return collection(collection).map(i -> stored(collection, i.model(), ids)).orElse(Map.of());
    }

    /** Drops a collection with all its tables; returns whether it existed. */
    public boolean dropCollection(String name) {
        return catalog.drop(name);
    }

    /** Documents stored in the active generation (0 when the collection does not exist yet). */
    public long countDocuments(String collection) {
        Optional<CollectionInfo> info = collection(collection);
        if (info.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + catalog.qualified(info.get().active().docsTable()));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new WriterException("counting documents of " + collection, e);
        }
    }

    /** A document as the active generation keeps it for collections fed through the topic. */
    public record StoredCopy(String id, String text, Long version, Map<String, Object> metadata, Long sourceOffset) {
    }

    /**
     * The next {@code limit} documents (in id order, after {@code afterId}) of the active generation
     * that generation {@code generation} lacks or holds with other text: what a re-embed replays.
     * A document without a stored copy is returned with a null text.
     */
    public List<StoredCopy> pendingCopies(String collection, int generation, String afterId, int limit) {
        CollectionInfo info = requireCollection(collection);
        Generation target = info.generation(generation);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT a.doc_id, a.text, a.version, a.metadata::text, a.source_offset"
                     + " FROM " + catalog.qualified(info.active().docsTable()) + " a LEFT JOIN "
                     + catalog.qualified(target.docsTable()) + " b ON b.doc_id = a.doc_id"
                     + " WHERE a.doc_id > ? AND (b.doc_id IS NULL OR b.text_hash <> a.text_hash)"
                     + " ORDER BY a.doc_id LIMIT ?")) {
            ps.setString(1, afterId == null ? "" : afterId);
            ps.setInt(2, limit);
            List<StoredCopy> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long v = rs.getLong(3);
                    Long version = rs.wasNull() ? null : v;
                    long o = rs.getLong(5);
                    Long offset = rs.wasNull() ? null : o;
                    result.add(new StoredCopy(rs.getString(1), rs.getString(2), version, metadata(rs.getString(4)), offset));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new WriterException("reading stored copies of " + collection, e);
        }
    }

    /** Exact coverage of every live generation of the collection, active first. */
    public List<Coverage> coverage(String collection) {
        CollectionInfo info = requireCollection(collection);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ); // one snapshot for all counts
            try {
                List<Coverage> result = new ArrayList<>();
                for (Generation g : info.live()) {
                    result.add(coverage.of(c, info, g));
                }
                c.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new WriterException("measuring coverage of " + collection, e);
        }
    }

    private CollectionInfo requireCollection(String collection) {
        return collection(collection).orElseThrow(() -> new InvalidInputException("unknown collection '" + collection + "'"));
    }

    private static void requireQuery(Generation g, float[] query, int k) {
        if (query.length != g.model().dimensions()) {
            throw new CollectionMismatchException("query has " + query.length + " dimensions, collection '"
                    + g.collection() + "' has " + g.model().dimensions() + " (" + g.model().key() + ")");
        }
        if (k < 1 || k > 1000) {
            throw new IllegalArgumentException("k must be in 1..1000, got " + k);
        }
    }

    private static void setEfSearch(Connection c, int efSearch) throws SQLException {
        // A search statement pgjdbc has server-prepared would get a generic plan after five runs, planned
        // without its LIMIT (the bench measured 50 ms instead of 0.3 ms); planning a k-row lookup costs
        // microseconds. JIT-compiling one costs tens of milliseconds, and pgvector's estimate can pass jit_above_cost.
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('hnsw.ef_search', ?, true),"
                + " set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true)")) {
            ps.setString(1, Integer.toString(Math.min(efSearch, 1000)));
            ps.execute();
        }
    }

    private List<SearchHit> runSearch(Connection c, Generation g, float[] query, int k) throws SQLException {
        PGvector.addVectorType(c);
        try (PreparedStatement ps = c.prepareStatement(searchSql(g))) {
            bindSearch(ps, query, k);
            List<SearchHit> hits = new ArrayList<>(k);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new SearchHit(rs.getString(1), rs.getInt(2), 1.0 - rs.getDouble(4), rs.getString(3),
                            metadata(rs.getString(5))));
                }
            }
            return hits;
        }
    }

    private String searchSql(Generation g) {
        String vec = catalog.qualified(g.vectorTable());
        String docs = catalog.qualified(g.docsTable());
        // The inner query is the plain ORDER BY ... LIMIT shape the HNSW index answers; the join
        // adds metadata to the k rows only.
        return "SELECT n.doc_id, n.chunk_index, n.chunk_text, n.distance, d.metadata::text FROM ("
                + "SELECT doc_id, chunk_index, chunk_text, embedding <=> ? AS distance FROM " + vec
                + " ORDER BY embedding <=> ? LIMIT ?) n JOIN " + docs + " d ON d.doc_id = n.doc_id"
                + " ORDER BY n.distance";
    }

    private static void bindSearch(PreparedStatement ps, float[] query, int k) throws SQLException {
        PGvector v = new PGvector(query);
        ps.setObject(1, v);
        ps.setObject(2, v);
        ps.setInt(3, k);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(String json) {
        if (json == null) {
            return Map.of();
        }
        return Json.read(json.getBytes(StandardCharsets.UTF_8), Map.class);
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
