package dev.embedstream.writer;

import com.pgvector.PGvector;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.embedstream.contracts.CollectionName;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.writer.internal.BatchUpserter;
import dev.embedstream.writer.internal.Catalog;
import dev.embedstream.writer.internal.ChangeReducer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The pgvector side of embedstream: idempotent batch writes into HNSW-indexed tables, and search. */
public final class VectorStore implements AutoCloseable {

    /** ef_search when none is tuned: pgvector's default. */
    public static final int DEFAULT_EF_SEARCH = 40;

    private final WriterConfig config;
    private final HikariDataSource dataSource;
    private final Catalog catalog;
    private final BatchUpserter upserter;
    private final io.micrometer.core.instrument.Timer searchLatency;

    private VectorStore(WriterConfig config, HikariDataSource dataSource, io.micrometer.core.instrument.MeterRegistry meters) {
        this.config = config;
        this.dataSource = dataSource;
        this.searchLatency = meters == null ? null : io.micrometer.core.instrument.Timer.builder("embedstream.search.latency")
                .description("time of a nearest-neighbour search, from query to rows").publishPercentileHistogram()
                .register(meters);
        this.catalog = new Catalog(dataSource, config.schema());
        this.upserter = new BatchUpserter(config.schema());
    }

    /** Connects, creates the catalog if missing and reads the pgvector version. */
    public static VectorStore open(WriterConfig config) {
        return open(config, null);
    }

    /** As {@link #open(WriterConfig)}, with HikariCP's own pool metrics bound to {@code meters}. */
    public static VectorStore open(WriterConfig config, io.micrometer.core.instrument.MeterRegistry meters) {
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

    public Optional<CollectionInfo> collection(String name) {
        return catalog.find(name);
    }

    /**
     * Writes a batch in one transaction. Changes whose model does not match their collection are
     * returned as rejected; everything else is committed, or nothing is (the exception says why).
     */
    public WriteResult write(List<Change> changes) {
        List<WriteResult.Rejected> rejected = new ArrayList<>();
        List<Change> accepted = new ArrayList<>();
        Map<String, CollectionInfo> infos = new LinkedHashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            Change change = changes.get(i);
            try {
                resolve(change).ifPresent(info -> infos.put(info.name(), info));
                accepted.add(change);
            } catch (CollectionMismatchException e) {
                rejected.add(new WriteResult.Rejected(i, change, e.getMessage()));
            }
        }
        Map<String, ChangeReducer.Reduced> reduced = ChangeReducer.reduce(accepted);
        List<UpsertResult> results = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (var entry : reduced.entrySet()) {
                    CollectionInfo info = infos.get(entry.getKey());
                    results.add(info == null ? UpsertResult.empty(entry.getKey())
                            : upserter.apply(c, info, entry.getValue().changes(), entry.getValue().deleteFirst()));
                }
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new WriterException("writing a batch of " + changes.size() + " changes failed", e);
        }
        return new WriteResult(results, rejected);
    }

    private Optional<CollectionInfo> resolve(Change change) {
        if (change instanceof Change.Upsert u) {
            var d = u.document();
            return Optional.of(catalog.ensure(d.collection(), d.model(), config.hnswM(), config.hnswEfConstruction()));
        }
        return catalog.find(change.key().collection());
    }

    /** The {@code k} chunks nearest to {@code query} by cosine distance, through the HNSW index. */
    public List<SearchHit> search(String collection, float[] query, int k, int efSearch) {
        long start = System.nanoTime();
        try {
            return searchOnce(collection, query, k, efSearch);
        } finally {
            if (searchLatency != null) {
                searchLatency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    private List<SearchHit> searchOnce(String collection, float[] query, int k, int efSearch) {
        CollectionInfo info = requireCollection(collection);
        requireQuery(info, query, k);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                setEfSearch(c, Math.max(efSearch, k));
                List<SearchHit> hits = runSearch(c, info, query, k);
                c.commit();
                return hits;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new WriterException("search in collection " + collection + " failed", e);
        }
    }

    /** The query plan of {@link #search}, to show that it uses the HNSW index. */
    public String explainSearch(String collection, float[] query, int k) {
        CollectionInfo info = requireCollection(collection);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN " + searchSql(info))) {
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

    /** What is stored for a document: its content hash, version and metadata. */
    public record StoredDocument(String contentHash, Long version, Map<String, Object> metadata) {
    }

    /** Stored state of those of {@code ids} that exist in the collection (none if it does not exist). */
    public Map<String, StoredDocument> stored(String collection, java.util.Collection<String> ids) {
        Optional<CollectionInfo> info = catalog.find(CollectionName.requireValid(collection));
        if (info.isEmpty() || ids.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT doc_id, content_hash, version, metadata::text FROM "
                     + SqlIdentifiers.qualified(config.schema(), info.get().docsTable()) + " WHERE doc_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            Map<String, StoredDocument> result = new java.util.HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long raw = rs.getLong(3);
                    Long version = rs.wasNull() ? null : raw; // wasNull speaks of the column read last
                    result.put(rs.getString(1), new StoredDocument(rs.getString(2), version, metadata(rs.getString(4))));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new WriterException("reading stored documents of " + collection + " failed", e);
        }
    }

    /** Drops a collection with its tables; returns whether it existed. */
    public boolean dropCollection(String name) {
        return catalog.drop(name);
    }

    /** Documents stored in the collection (0 when it does not exist yet). */
    public long countDocuments(String collection) {
        Optional<CollectionInfo> info = catalog.find(CollectionName.requireValid(collection));
        if (info.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM "
                     + SqlIdentifiers.qualified(config.schema(), info.get().docsTable()));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new WriterException("counting documents of " + collection + " failed", e);
        }
    }

    private CollectionInfo requireCollection(String collection) {
        return catalog.find(CollectionName.requireValid(collection)).orElseThrow(() ->
                new dev.embedstream.contracts.InvalidInputException("unknown collection '" + collection + "'"));
    }

    private static void requireQuery(CollectionInfo info, float[] query, int k) {
        if (query.length != info.model().dimensions()) {
            throw new CollectionMismatchException("query has " + query.length + " dimensions, collection '"
                    + info.name() + "' has " + info.model().dimensions());
        }
        if (k < 1 || k > 1000) {
            throw new IllegalArgumentException("k must be in 1..1000, got " + k);
        }
    }

    private static void setEfSearch(Connection c, int efSearch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('hnsw.ef_search', ?, true)")) {
            ps.setString(1, Integer.toString(Math.min(efSearch, 1000)));
            ps.execute();
        }
    }

    private List<SearchHit> runSearch(Connection c, CollectionInfo info, float[] query, int k) throws SQLException {
        PGvector.addVectorType(c);
        try (PreparedStatement ps = c.prepareStatement(searchSql(info))) {
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

    private String searchSql(CollectionInfo info) {
        String vec = SqlIdentifiers.qualified(config.schema(), info.vectorTable());
        String docs = SqlIdentifiers.qualified(config.schema(), info.docsTable());
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
        return Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.class);
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
