package dev.embedstream.writer.internal;

import dev.embedstream.contracts.CollectionName;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.contracts.PgvectorVersion;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.contracts.TableSource;
import dev.embedstream.writer.CollectionInfo;
import dev.embedstream.writer.CollectionMismatchException;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.WriterException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog of collections and their generations, and the idempotent migrations that create their
 * tables. It is read afresh by every write, search and routing decision, so a cut-over made by one
 * process is seen by all at once; every DDL runs under one advisory lock.
 */
public final class Catalog {

    private static final java.time.Duration DROP_LOCK_WAIT = java.time.Duration.ofSeconds(5);
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** Largest dimension an HNSW index on {@code vector} accepts. */
    public static final int MAX_VECTOR_DIMENSIONS = 2000;

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);
    private static final long MIGRATION_LOCK = 0x656d6264_73747265L; // "embdstre"

    private final DataSource dataSource;
    private final String schema;
    private final String qSchema;
    private volatile PgvectorVersion pgvector;

    public Catalog(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.qSchema = SqlIdentifiers.quote(schema);
    }

    /** Creates the schema and catalog tables if missing and reads the pgvector version. */
    public PgvectorVersion migrate() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lock(c);
            migratePreviewLayout(c);
            createCatalogTables(c);
            c.commit();
            pgvector = readPgvectorVersion(c);
            return pgvector;
        } catch (SQLException e) {
            throw new WriterException("cannot migrate schema " + schema, e);
        }
    }

    private void createCatalogTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + qSchema);
                st.execute("CREATE TABLE IF NOT EXISTS " + qSchema + ".collections ("
                        + " name text PRIMARY KEY, active_generation int NOT NULL, source jsonb,"
                        + " created_at timestamptz NOT NULL DEFAULT now())");
                st.execute("CREATE TABLE IF NOT EXISTS " + qSchema + ".generations ("
                        + " collection text NOT NULL REFERENCES " + qSchema + ".collections (name) ON DELETE CASCADE,"
                        + " generation int NOT NULL, provider text NOT NULL,"
                        + " model_name text NOT NULL, model_variant text NOT NULL,"
                        + " dimensions int NOT NULL, max_tokens int NOT NULL, chunk_overlap int NOT NULL,"
                        + " docs_table text NOT NULL, vector_table text NOT NULL, index_name text NOT NULL,"
                        + " hnsw_m int NOT NULL, hnsw_ef_construction int NOT NULL,"
                        + " state text NOT NULL, index_built boolean NOT NULL,"
                        + " created_at timestamptz NOT NULL DEFAULT now(), activated_at timestamptz,"
                        + " PRIMARY KEY (collection, generation))");
                // The ef_search `embedstream tune` measured for the generation (null: not tuned).
                st.execute("ALTER TABLE " + qSchema + ".generations ADD COLUMN IF NOT EXISTS ef_search int,"
                        + " ADD COLUMN IF NOT EXISTS ef_search_recall double precision");
                // What the dead-letter topic holds, by document: coverage counts it without reading Kafka.
                st.execute("CREATE TABLE IF NOT EXISTS " + qSchema + ".dead_letters ("
                        + " collection text NOT NULL, doc_id text NOT NULL, stage text NOT NULL, reason text NOT NULL,"
                        + " text_hash text, dead_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (collection, doc_id))");
        }
    }

    /**
     * A catalog of the 0.1 previews (one model per collection, no generations) is migrated in place:
     * each collection becomes generation 1 of its model, its tables keep their names and rows.
     */
    private void migratePreviewLayout(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.columns"
                + " WHERE table_schema = ? AND table_name = 'collections' AND column_name = 'model_name'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
            }
        }
        List<String> docsTables = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.execute("ALTER TABLE " + qSchema + ".collections RENAME TO collections_v0");
            try (ResultSet rs = st.executeQuery("SELECT docs_table FROM " + qSchema + ".collections_v0")) {
                while (rs.next()) {
                    docsTables.add(rs.getString(1));
                }
            }
        }
        createCatalogTables(c);
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + qSchema + ".collections (name, active_generation, created_at)"
                    + " SELECT name, 1, created_at FROM " + qSchema + ".collections_v0");
            st.execute("INSERT INTO " + qSchema + ".generations (collection, generation, provider, model_name,"
                    + " model_variant, dimensions, max_tokens, chunk_overlap, docs_table, vector_table, index_name, hnsw_m,"
                    + " hnsw_ef_construction, state, index_built, created_at, activated_at)"
                    + " SELECT name, 1, CASE model_variant WHEN 'api' THEN 'openai' ELSE 'local' END, model_name,"
                    + " model_variant, dimensions, max_tokens, " + dev.embedstream.contracts.Chunking.DEFAULT_OVERLAP_TOKENS
                    + ", docs_table, vector_table, index_name, hnsw_m, hnsw_ef_construction, 'active', true, created_at,"
                    + " created_at FROM " + qSchema + ".collections_v0");
            for (String docs : docsTables) {
                // The text of these documents was never kept: coverage sees them as current by their
                // own hash (unknown), and a re-embed asks for them to be published again.
                st.execute("ALTER TABLE " + qualified(docs) + " ADD COLUMN IF NOT EXISTS text_hash text NOT NULL DEFAULT '',"
                        + " ADD COLUMN IF NOT EXISTS source_offset bigint, ADD COLUMN IF NOT EXISTS text text");
            }
            st.execute("DROP TABLE " + qSchema + ".collections_v0");
        }
        log.info("migrated the catalog of schema {} to generations ({} collections)", schema, docsTables.size());
    }

    public PgvectorVersion pgvector() {
        return pgvector;
    }

    public String schema() {
        return schema;
    }

    public String qualified(String table) {
        return SqlIdentifiers.qualified(schema, table);
    }

    /** Names of all collections, in order. */
    public List<String> names() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM " + qSchema + ".collections ORDER BY name")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new WriterException("cannot list collections in " + schema, e);
        }
    }

    /** The collection, if it exists, as it is now. */
    public Optional<CollectionInfo> find(String collection) {
        try (Connection c = dataSource.getConnection()) {
            return Optional.ofNullable(read(c, List.of(collection), false).get(collection));
        } catch (SQLException e) {
            throw new WriterException("cannot read collection " + collection, e);
        }
    }

    /**
     * The named collections that exist, read inside the caller's transaction; with {@code share},
     * their catalog rows stay locked until it ends, so no cut-over or drop can interleave.
     */
    public Map<String, CollectionInfo> read(Connection c, Collection<String> names, boolean share) throws SQLException {
        Map<String, CollectionInfo> result = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return result;
        }
        Map<String, Object[]> heads = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, active_generation, source::text FROM " + qSchema
                + ".collections WHERE name = ANY(?) ORDER BY name" + (share ? " FOR SHARE" : ""))) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getString(1), new Object[] {rs.getInt(2), rs.getString(3)});
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // catalog not created yet
                return result;
            }
            throw e;
        }
        if (heads.isEmpty()) {
            return result;
        }
        Map<String, List<Generation>> gens = readGenerations(c, heads.keySet());
        heads.forEach((name, h) -> result.put(name, new CollectionInfo(name, source((String) h[1]), (Integer) h[0],
                gens.getOrDefault(name, List.of()))));
        return result;
    }

    private Map<String, List<Generation>> readGenerations(Connection c, Collection<String> names) throws SQLException {
        Map<String, List<Generation>> result = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT collection, generation, provider, model_name, model_variant,"
                + " dimensions, max_tokens, chunk_overlap, docs_table, vector_table, index_name, hnsw_m,"
                + " hnsw_ef_construction, state, index_built, ef_search FROM " + qSchema + ".generations"
                + " WHERE collection = ANY(?) ORDER BY collection, generation")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ModelId model = new ModelId(rs.getString(4), rs.getString(5), rs.getInt(6), rs.getInt(7));
                    result.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Generation(rs.getString(1),
                            rs.getInt(2), rs.getString(3), model, rs.getInt(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), rs.getInt(12), rs.getInt(13),
                            Generation.State.valueOf(rs.getString(14).toUpperCase(Locale.ROOT)), rs.getBoolean(15),
                            (Integer) rs.getObject(16)));
                }
            }
        }
        return result;
    }

    private static TableSource source(String json) {
        return json == null ? null : Json.read(json.getBytes(StandardCharsets.UTF_8), TableSource.class);
    }

    /**
     * The collection, created with generation 1 of {@code model} (tables and HNSW index) when new.
     * An existing collection is returned as it is; whether it takes this model is the caller's call.
     */
    public CollectionInfo ensure(String collection, TableSource source, String provider, ModelId model, int chunkOverlap,
                                 int m, int efConstruction) {
        CollectionName.requireValid(collection);
        return find(collection).orElseGet(() -> create(collection, source, provider, model, chunkOverlap, m, efConstruction));
    }

    private CollectionInfo create(String collection, TableSource source, String provider, ModelId model, int chunkOverlap,
                                  int m, int efConstruction) {
        requireIndexable(model);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lock(c);
            CollectionInfo raced = read(c, List.of(collection), false).get(collection);
            if (raced != null) {
                c.rollback();
                return raced;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qSchema
                    + ".collections (name, active_generation, source) VALUES (?, 1, ?::jsonb)")) {
                ps.setString(1, collection);
                ps.setString(2, source == null ? null : Json.writeString(source));
                ps.executeUpdate();
            }
            // A table's rows arrive as one bulk load (its backfill): loaded first and indexed after, as
            // pgvector advises, the backfill building the index when coverage is complete. Documents from
            // the topic trickle in, so their index exists from the start.
            Generation g = generation(collection, 1, provider, model, chunkOverlap, m, efConstruction,
                    Generation.State.ACTIVE, source == null);
            createTables(c, g);
            insert(c, g);
            c.commit();
            log.info("created collection {} for {} ({} and {}, HNSW m={} ef_construction={}{})", collection,
                    model.key(), g.docsTable(), g.vectorTable(), m, efConstruction,
                    g.indexBuilt() ? "" : "; the index is built after the backfill");
            return read(c, List.of(collection), false).get(collection);
        } catch (SQLException e) {
            throw new WriterException("cannot create collection " + collection, e);
        }
    }

    /**
     * Adds a building generation of {@code model}, its tables created without the HNSW index (it is
     * built once the bulk load is done). A build of the same model already under way is returned.
     */
    public Generation addBuilding(String collection, String provider, ModelId model, int chunkOverlap, int m,
                                  int efConstruction) {
        requireIndexable(model);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lock(c);
            CollectionInfo info = lockedForUpdate(c, collection);
            Optional<Generation> building = info.building();
            if (building.isPresent()) {
                c.rollback();
                if (building.get().model().equals(model)) {
                    return building.get();
                }
                throw new CollectionMismatchException("collection '" + collection + "' is already being re-embedded to "
                        + building.get().model().key() + "; finish it or run `embedstream reembed " + collection
                        + " --abort` first");
            }
            if (info.active().model().equals(model)) {
                c.rollback();
                throw new CollectionMismatchException("collection '" + collection + "' already uses " + model.key());
            }
            Generation g = generation(collection, info.nextGeneration(), provider, model, chunkOverlap, m, efConstruction,
                    Generation.State.BUILDING, false);
            createTables(c, g);
            insert(c, g);
            c.commit();
            log.info("collection {}: generation {} of {} is being built beside generation {} of {}", collection,
                    g.number(), model.key(), info.activeGeneration(), info.model().key());
            return g;
        } catch (SQLException e) {
            throw new WriterException("cannot add a generation to collection " + collection, e);
        }
    }

    /** Records that the generation's HNSW index exists. */
    public void markIndexBuilt(String collection, int generation) {
        update(collection, "UPDATE " + qSchema + ".generations SET index_built = true WHERE collection = ? AND generation = ?",
                generation);
    }

    /**
     * Makes the building generation the one search reads, in one transaction: every search that
     * starts after the commit reads it, every one before reads the old, never a mix.
     */
    public void cutOver(String collection, int generation) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            CollectionInfo info = lockedForUpdate(c, collection);
            Generation g = info.generation(generation);
            if (g.state() != Generation.State.BUILDING || !g.indexBuilt()) {
                c.rollback();
                throw new CollectionMismatchException("generation " + generation + " of '" + collection + "' is "
                        + g.state().name().toLowerCase(Locale.ROOT) + (g.indexBuilt() ? "" : " without its index")
                        + "; only a built generation can take over");
            }
            try (PreparedStatement retire = c.prepareStatement("UPDATE " + qSchema + ".generations SET state = 'retired'"
                    + " WHERE collection = ? AND state = 'active'");
                 PreparedStatement activate = c.prepareStatement("UPDATE " + qSchema + ".generations SET state = 'active',"
                         + " activated_at = now() WHERE collection = ? AND generation = ?");
                 PreparedStatement head = c.prepareStatement("UPDATE " + qSchema + ".collections SET active_generation = ?"
                         + " WHERE name = ?")) {
                retire.setString(1, collection);
                retire.executeUpdate();
                activate.setString(1, collection);
                activate.setInt(2, generation);
                activate.executeUpdate();
                head.setInt(1, generation);
                head.setString(2, collection);
                head.executeUpdate();
            }
            if (!info.isTableSourced()) {
                dropOrphans(c, info.active(), g);
            }
            c.commit();
            log.info("collection {}: search now reads generation {} ({})", collection, generation, g.model().key());
        } catch (SQLException e) {
            throw new WriterException("cannot cut collection " + collection + " over to generation " + generation, e);
        }
    }

    /**
     * A collection fed only through the topic has no source but its active generation: a replayed
     * copy that reached the new generation after its document was deleted would outlive the delete.
     * Writers wait on the catalog lock meanwhile, so nothing new can slip in between.
     */
    private int dropOrphans(Connection c, Generation active, Generation next) throws SQLException {
        String oldDocs = SqlIdentifiers.qualified(schema, active.docsTable());
        String newDocs = SqlIdentifiers.qualified(schema, next.docsTable());
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM " + SqlIdentifiers.qualified(schema, next.vectorTable()) + " v WHERE NOT EXISTS"
                    + " (SELECT 1 FROM " + oldDocs + " o WHERE o.doc_id = v.doc_id)");
            int orphans = st.executeUpdate("DELETE FROM " + newDocs + " n WHERE NOT EXISTS"
                    + " (SELECT 1 FROM " + oldDocs + " o WHERE o.doc_id = n.doc_id)");
            if (orphans > 0) {
                log.info("collection {}: {} documents deleted during the re-embed were removed from generation {}",
                        active.collection(), orphans, next.number());
            }
            return orphans;
        }
    }

    /**
     * Drops a retired or building generation's tables; the row stays (state dropped) so vectors of
     * its model still in flight are recognised and ignored. Returns whether anything was dropped.
     */
    public boolean dropGeneration(String collection, int generation) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lock(c);
            CollectionInfo info = lockedForUpdate(c, collection);
            Generation g = info.generation(generation);
            if (g.state() == Generation.State.ACTIVE) {
                c.rollback();
                throw new CollectionMismatchException("generation " + generation + " of '" + collection
                        + "' is the one search reads; it cannot be dropped");
            }
            if (g.state() == Generation.State.DROPPED) {
                c.rollback();
                return false;
            }
            try (Statement st = c.createStatement();
                 PreparedStatement ps = c.prepareStatement("UPDATE " + qSchema + ".generations SET state = 'dropped'"
                         + " WHERE collection = ? AND generation = ?")) {
                boundLockWait(st);
                st.execute("DROP TABLE IF EXISTS " + qualified(g.vectorTable()));
                st.execute("DROP TABLE IF EXISTS " + qualified(g.docsTable()));
                ps.setString(1, collection);
                ps.setInt(2, generation);
                ps.executeUpdate();
            }
            c.commit();
            log.info("collection {}: dropped generation {} ({})", collection, generation, g.model().key());
            return true;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new WriterException("cannot drop generation " + generation + " of collection " + collection
                        + " now: its tables are in use (an index build or a long query); writes were held for "
                        + DROP_LOCK_WAIT + " and are released; try again later", e);
            }
            throw new WriterException("cannot drop generation " + generation + " of collection " + collection, e);
        }
    }

    /** Drops the collection's tables and forgets it; a no-op for an unknown collection. */
    public boolean drop(String collection) {
        CollectionName.requireValid(collection);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            lock(c);
            if (read(c, List.of(collection), false).get(collection) == null) {
                c.rollback();
                return false;
            }
            // The writer holds the catalog row FOR SHARE while it writes: take it first, or DROP TABLE
            // and a writer's batch each wait for what the other holds.
            CollectionInfo info = lockedForUpdate(c, collection);
            try (Statement st = c.createStatement();
                 PreparedStatement del = c.prepareStatement("DELETE FROM " + qSchema + ".collections WHERE name = ?");
                 PreparedStatement dead = c.prepareStatement("DELETE FROM " + qSchema + ".dead_letters WHERE collection = ?")) {
                boundLockWait(st);
                for (Generation g : info.withTables()) {
                    st.execute("DROP TABLE IF EXISTS " + qualified(g.vectorTable()));
                    st.execute("DROP TABLE IF EXISTS " + qualified(g.docsTable()));
                }
                del.setString(1, collection);
                del.executeUpdate();
                dead.setString(1, collection);
                dead.executeUpdate();
                forgetCheckpoint(c, collection);
            }
            c.commit();
            log.info("dropped collection {}", collection);
            return true;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new WriterException("cannot drop collection " + collection + " now: its tables are in use"
                        + " (an index build or a long query); try again later", e);
            }
            throw new WriterException("cannot drop collection " + collection, e);
        }
    }

    /**
     * While DROP TABLE waits for its lock, the catalog row stays locked and every writer of the
     * collection waits too: an index being built CONCURRENTLY could hold that for an hour.
     */
    private static void boundLockWait(Statement st) throws SQLException {
        st.execute("SET LOCAL lock_timeout = '" + DROP_LOCK_WAIT.toMillis() + "ms'");
    }

    /** A collection created again under the same name must not resume the old one's backfill. */
    private void forgetCheckpoint(Connection c, String collection) throws SQLException {
        String table = qualified("backfill_checkpoints");
        try (PreparedStatement exists = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
            }
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE collection = ?")) {
            del.setString(1, collection);
            del.executeUpdate();
        }
    }

    private CollectionInfo lockedForUpdate(Connection c, String collection) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + qSchema + ".collections WHERE name = ? FOR UPDATE")) {
            ps.setString(1, collection);
            ps.executeQuery().close();
        }
        CollectionInfo info = read(c, List.of(collection), false).get(collection);
        if (info == null) {
            c.rollback();
            throw new dev.embedstream.contracts.InvalidInputException("unknown collection '" + collection + "'");
        }
        return info;
    }

    private void update(String collection, String sql, int generation) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, collection);
            ps.setInt(2, generation);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new WriterException("cannot update generation " + generation + " of " + collection, e);
        }
    }

    private static void requireIndexable(ModelId model) {
        if (model.dimensions() > MAX_VECTOR_DIMENSIONS) {
            throw new CollectionMismatchException("model " + model.key() + " has " + model.dimensions()
                    + " dimensions; HNSW on vector supports at most " + MAX_VECTOR_DIMENSIONS
                    + " (ask for fewer, e.g. --dimensions 1536)");
        }
    }

    private static Generation generation(String collection, int number, String provider, ModelId model, int overlap,
                                         int m, int ef, Generation.State state, boolean indexBuilt) {
        return new Generation(collection, number, provider, model, overlap, "docs_" + collection + "_" + number,
                "vec_" + collection + "_" + number, "vec_" + collection + "_" + number + "_hnsw", m, ef, state, indexBuilt,
                null);
    }

    private void createTables(Connection c, Generation g) throws SQLException {
        String docs = qualified(g.docsTable());
        String vec = qualified(g.vectorTable());
        try (Statement st = c.createStatement()) {
            // Mutable bookkeeping (version, hashes, metadata) lives in the docs table: updating a row of
            // an HNSW-indexed table is far slower than updating a plain one.
            st.execute("CREATE TABLE IF NOT EXISTS " + docs + " ("
                    + " doc_id text PRIMARY KEY, version bigint, content_hash text NOT NULL, text_hash text NOT NULL,"
                    + " source_offset bigint, chunk_count int NOT NULL, metadata jsonb NOT NULL DEFAULT '{}', text text,"
                    + " embedded_at timestamptz NOT NULL DEFAULT now())");
            st.execute("CREATE TABLE IF NOT EXISTS " + vec + " ("
                    + " doc_id text NOT NULL, chunk_index int NOT NULL, chunk_text text NOT NULL,"
                    + " embedding vector(" + g.model().dimensions() + ") NOT NULL,"
                    + " PRIMARY KEY (doc_id, chunk_index))");
            if (g.indexBuilt()) {
                if (!pgvector.parallelHnswBuildSafe()) {
                    // pgvector < 0.8.2 overflows a buffer in parallel HNSW builds (CVE-2026-3172).
                    st.execute("SET LOCAL max_parallel_maintenance_workers = 0");
                }
                st.execute("CREATE INDEX IF NOT EXISTS " + SqlIdentifiers.quote(g.indexName()) + " ON " + vec
                        + " " + hnswSpec(g));
            }
        }
    }

    /** {@code USING hnsw (...) WITH (...)} of a generation's index. */
    public static String hnswSpec(Generation g) {
        return "USING hnsw (embedding vector_cosine_ops) WITH (m = " + g.hnswM() + ", ef_construction = "
                + g.hnswEfConstruction() + ")";
    }

    private void insert(Connection c, Generation g) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qSchema + ".generations"
                + " (collection, generation, provider, model_name, model_variant, dimensions, max_tokens, chunk_overlap,"
                + " docs_table, vector_table, index_name, hnsw_m, hnsw_ef_construction, state, index_built, activated_at)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, CASE WHEN ? THEN now() END)")) {
            ps.setString(1, g.collection());
            ps.setInt(2, g.number());
            ps.setString(3, g.provider());
            ps.setString(4, g.model().name());
            ps.setString(5, g.model().variant());
            ps.setInt(6, g.model().dimensions());
            ps.setInt(7, g.model().maxTokens());
            ps.setInt(8, g.chunkOverlap());
            ps.setString(9, g.docsTable());
            ps.setString(10, g.vectorTable());
            ps.setString(11, g.indexName());
            ps.setInt(12, g.hnswM());
            ps.setInt(13, g.hnswEfConstruction());
            ps.setString(14, g.state().name().toLowerCase(Locale.ROOT));
            ps.setBoolean(15, g.indexBuilt());
            ps.setBoolean(16, g.state() == Generation.State.ACTIVE);
            ps.executeUpdate();
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
