package dev.embedstream.writer.internal;

import dev.embedstream.contracts.CollectionName;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.CollectionMismatchException;
import dev.embedstream.writer.WriterException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog of collections and the idempotent migrations that create their tables. Every DDL runs
 * under one advisory lock, so two writers creating the same collection at once cannot collide.
 */
public final class Catalog {

    /** Largest dimension an HNSW index on {@code vector} accepts. */
    public static final int MAX_VECTOR_DIMENSIONS = 2000;

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    private static final long MIGRATION_LOCK = 0x656d6264_73747265L; // "embdstre"

    private final DataSource dataSource;
    private final String schema;
    private final String qSchema;
    private final Map<String, CollectionInfo> cache = new ConcurrentHashMap<>();
    private volatile PgvectorVersion pgvector;

    public Catalog(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.qSchema = SqlIdentifiers.quote(schema);
    }

    /** Creates the schema and catalog table if missing and reads the pgvector version. */
    public PgvectorVersion migrate() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lock(c);
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + qSchema);
                st.execute("CREATE TABLE IF NOT EXISTS " + qSchema + ".collections ("
                        + " name text PRIMARY KEY,"
                        + " model_name text NOT NULL, model_variant text NOT NULL,"
                        + " dimensions int NOT NULL, max_tokens int NOT NULL,"
                        + " docs_table text NOT NULL, vector_table text NOT NULL, index_name text NOT NULL,"
                        + " hnsw_m int NOT NULL, hnsw_ef_construction int NOT NULL,"
                        + " created_at timestamptz NOT NULL DEFAULT now())");
            }
            c.commit();
            pgvector = readPgvectorVersion(c);
            return pgvector;
        } catch (SQLException e) {
            throw new WriterException("cannot migrate schema " + schema, e);
        }
    }

    public PgvectorVersion pgvector() {
        return pgvector;
    }

    public String schema() {
        return schema;
    }

    /** Names of all collections, in order. */
    public java.util.List<String> names() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM " + qSchema + ".collections ORDER BY name")) {
            java.util.List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new WriterException("cannot list collections in " + schema, e);
        }
    }

    /** The collection, if it exists. */
    public Optional<CollectionInfo> find(String collection) {
        CollectionInfo cached = cache.get(collection);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<CollectionInfo> info = read(c, collection);
            info.ifPresent(i -> cache.put(collection, i));
            return info;
        } catch (SQLException e) {
            throw new WriterException("cannot read collection " + collection, e);
        }
    }

    /**
     * The collection for vectors of {@code model}, created with its tables and HNSW index when new.
     * A collection that exists with another model is refused: changing a model is a re-embed.
     */
    public CollectionInfo ensure(String collection, ModelId model, int m, int efConstruction) {
        CollectionName.requireValid(collection);
        CollectionInfo info = find(collection).orElseGet(() -> create(collection, model, m, efConstruction));
        requireSameModel(info, model);
        return info;
    }

    /** Drops the collection's tables and forgets it; a no-op for an unknown collection. */
    public boolean drop(String collection) {
        CollectionName.requireValid(collection);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lock(c);
            Optional<CollectionInfo> info = read(c, collection);
            if (info.isEmpty()) {
                c.rollback();
                cache.remove(collection);
                return false;
            }
            try (Statement st = c.createStatement();
                 PreparedStatement del = c.prepareStatement("DELETE FROM " + qSchema + ".collections WHERE name = ?")) {
                st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, info.get().vectorTable()));
                st.execute("DROP TABLE IF EXISTS " + SqlIdentifiers.qualified(schema, info.get().docsTable()));
                del.setString(1, collection);
                del.executeUpdate();
            }
            c.commit();
            cache.remove(collection);
            log.info("dropped collection {}", collection);
            return true;
        } catch (SQLException e) {
            throw new WriterException("cannot drop collection " + collection, e);
        }
    }

    private static void requireSameModel(CollectionInfo info, ModelId model) {
        if (!info.model().equals(model)) {
            throw new CollectionMismatchException("collection '" + info.name() + "' holds vectors of "
                    + info.model().key() + " (window " + info.model().maxTokens() + "), not of " + model.key()
                    + " (window " + model.maxTokens() + "); a model change goes through `embedstream reembed`");
        }
    }

    private CollectionInfo create(String collection, ModelId model, int m, int efConstruction) {
        if (model.dimensions() > MAX_VECTOR_DIMENSIONS) {
            throw new CollectionMismatchException("model " + model.key() + " has " + model.dimensions()
                    + " dimensions; HNSW on vector supports at most " + MAX_VECTOR_DIMENSIONS);
        }
        CollectionInfo wanted = new CollectionInfo(collection, model, "docs_" + collection, "vec_" + collection + "_1",
                "vec_" + collection + "_1_hnsw", m, efConstruction);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lock(c);
            Optional<CollectionInfo> raced = read(c, collection);
            if (raced.isPresent()) {
                c.rollback();
                cache.put(collection, raced.get());
                return raced.get();
            }
            createTables(c, wanted);
            insert(c, wanted);
            c.commit();
            log.info("created collection {} for {} ({} and {}, HNSW m={} ef_construction={})", collection,
                    model.key(), wanted.docsTable(), wanted.vectorTable(), m, efConstruction);
            cache.put(collection, wanted);
            return wanted;
        } catch (SQLException e) {
            throw new WriterException("cannot create collection " + collection, e);
        }
    }

    private void createTables(Connection c, CollectionInfo info) throws SQLException {
        String docs = SqlIdentifiers.qualified(schema, info.docsTable());
        String vec = SqlIdentifiers.qualified(schema, info.vectorTable());
        try (Statement st = c.createStatement()) {
            // Mutable bookkeeping (version, hash, metadata) lives in the docs table: updating a row of
            // an HNSW-indexed table is far slower than updating a plain one.
            st.execute("CREATE TABLE IF NOT EXISTS " + docs + " ("
                    + " doc_id text PRIMARY KEY, version bigint, content_hash text NOT NULL,"
                    + " chunk_count int NOT NULL, metadata jsonb NOT NULL DEFAULT '{}',"
                    + " embedded_at timestamptz NOT NULL DEFAULT now())");
            st.execute("CREATE TABLE IF NOT EXISTS " + vec + " ("
                    + " doc_id text NOT NULL, chunk_index int NOT NULL, chunk_text text NOT NULL,"
                    + " embedding vector(" + info.model().dimensions() + ") NOT NULL,"
                    + " PRIMARY KEY (doc_id, chunk_index))");
            if (!pgvector.parallelHnswBuildSafe()) {
                // pgvector < 0.8.2 overflows a buffer in parallel HNSW builds (CVE-2026-3172).
                st.execute("SET LOCAL max_parallel_maintenance_workers = 0");
            }
            st.execute("CREATE INDEX IF NOT EXISTS " + SqlIdentifiers.quote(info.indexName()) + " ON " + vec
                    + " USING hnsw (embedding vector_cosine_ops) WITH (m = " + info.hnswM()
                    + ", ef_construction = " + info.hnswEfConstruction() + ")");
        }
    }

    private void insert(Connection c, CollectionInfo i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qSchema + ".collections"
                + " (name, model_name, model_variant, dimensions, max_tokens, docs_table, vector_table, index_name,"
                + " hnsw_m, hnsw_ef_construction) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, i.name());
            ps.setString(2, i.model().name());
            ps.setString(3, i.model().variant());
            ps.setInt(4, i.model().dimensions());
            ps.setInt(5, i.model().maxTokens());
            ps.setString(6, i.docsTable());
            ps.setString(7, i.vectorTable());
            ps.setString(8, i.indexName());
            ps.setInt(9, i.hnswM());
            ps.setInt(10, i.hnswEfConstruction());
            ps.executeUpdate();
        }
    }

    private Optional<CollectionInfo> read(Connection c, String collection) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT model_name, model_variant, dimensions, max_tokens,"
                + " docs_table, vector_table, index_name, hnsw_m, hnsw_ef_construction FROM " + qSchema
                + ".collections WHERE name = ?")) {
            ps.setString(1, collection);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                ModelId model = new ModelId(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4));
                return Optional.of(new CollectionInfo(collection, model, rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getInt(8), rs.getInt(9)));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // catalog not created yet
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, MIGRATION_LOCK);
            ps.execute();
        }
    }

    private static PgvectorVersion readPgvectorVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
            if (rs.next()) {
                return PgvectorVersion.parse(rs.getString(1));
            }
        }
        return createExtension(c);
    }

    private static PgvectorVersion createExtension(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("CREATE EXTENSION IF NOT EXISTS vector");
            try (ResultSet rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
                rs.next();
                return PgvectorVersion.parse(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new WriterException("the vector extension is not installed in this database and this user may not"
                    + " create it; run `CREATE EXTENSION vector` as a superuser (scripts/pg.sh does)", e);
        }
    }
}
