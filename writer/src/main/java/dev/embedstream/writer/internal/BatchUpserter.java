package dev.embedstream.writer.internal;

import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.Json;
import dev.embedstream.contracts.SqlIdentifiers;
import dev.embedstream.writer.BinaryCopy;
import dev.embedstream.writer.Generation;
import dev.embedstream.writer.UpsertResult;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Applies the reduced changes of one collection inside the caller's transaction: binary COPY into
 * temporary staging tables, then set-based statements that keep the newest version, replace chunks
 * as a set, and leave vectors untouched when only a re-delivery of the same content arrives.
 */
public final class BatchUpserter {

    private static final int ACTION_STALE = 0;
    private static final int ACTION_UNCHANGED = 1;
    private static final int ACTION_REPLACE = 2;

    private final String schema;

    public BatchUpserter(String schema) {
        this.schema = schema;
    }

    /** Removes documents with all their chunks from every generation that has tables; returns how many. */
    public int delete(Connection c, List<Generation> generations, java.util.Collection<String> ids, IndexTally tally)
            throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        int deleted = 0;
        Array array = c.createArrayOf("text", ids.toArray());
        for (Generation g : generations) {
            try (PreparedStatement dv = c.prepareStatement("DELETE FROM " + qualified(g.vectorTable()) + " WHERE doc_id = ANY(?)");
                 PreparedStatement dd = c.prepareStatement("DELETE FROM " + qualified(g.docsTable()) + " WHERE doc_id = ANY(?)")) {
                dv.setArray(1, array);
                tally.add(g, 0, 0, dv.executeUpdate());
                dd.setArray(1, array);
                deleted = Math.max(deleted, dd.executeUpdate());
            }
        }
        return deleted;
    }

    /** Applies upserts of one generation, at most one per document, inside the caller's transaction. */
    public UpsertResult upsert(Connection c, Generation g, List<EmbeddedDocument> upserts, boolean keepText,
                               IndexTally tally) throws SQLException, IOException {
        if (upserts.isEmpty()) {
            return UpsertResult.empty(g.collection());
        }
        stage(c, upserts, keepText);
        String docs = qualified(g.docsTable());
        lockStored(c, docs);
        return merge(c, g, docs, qualified(g.vectorTable()), tally);
    }

    private String qualified(String table) {
        return SqlIdentifiers.qualified(schema, table);
    }

    private static void stage(Connection c, List<EmbeddedDocument> upserts, boolean keepText) throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS es_stage_docs3 (doc_id text, version bigint,"
                    + " content_hash text, text_hash text, source_offset bigint, chunk_count int, metadata jsonb,"
                    + " text text, action int, replayed boolean) ON COMMIT DELETE ROWS");
            st.execute("CREATE TEMP TABLE IF NOT EXISTS es_stage_chunks (doc_id text, chunk_index int,"
                    + " chunk_text text, embedding vector) ON COMMIT DELETE ROWS");
            st.execute("TRUNCATE es_stage_docs3, es_stage_chunks");
        }
        BinaryCopy docRows = new BinaryCopy(upserts.size() * 128);
        int chunkCount = upserts.stream().mapToInt(d -> d.chunks().size()).sum();
        BinaryCopy chunkRows = new BinaryCopy(chunkCount * (upserts.get(0).model().dimensions() * 4 + 512));
        for (EmbeddedDocument d : upserts) {
            docRows.row(10).text(d.id()).int8(d.version()).text(d.contentHash()).text(d.textHash())
                    .int8(d.sourceOffset()).int4(d.chunks().size())
                    .jsonb(Json.writeString(d.metadata())).text(keepText ? d.text() : null).int4(ACTION_REPLACE).bool(d.replayed());
            for (Chunk chunk : d.chunks()) {
                chunkRows.row(4).text(d.id()).int4(chunk.index()).text(chunk.text()).vector(chunk.vector());
            }
        }
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("COPY es_stage_docs3 FROM STDIN (FORMAT binary)", docRows.stream());
        copy.copyIn("COPY es_stage_chunks FROM STDIN (FORMAT binary)", chunkRows.stream());
        // Temporary tables have no statistics: without them the planner guesses thousands of staged
        // rows and joins by scanning the whole (large, vector-wide) table instead of its primary key.
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE es_stage_docs3, es_stage_chunks");
        }
    }

    /**
     * Locks the stored rows of the staged documents, so a second writer (one that lost its partitions
     * but has not noticed yet) cannot interleave and let an older version win.
     */
    private static void lockStored(Connection c, String docs) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT 1 FROM " + docs + " d JOIN es_stage_docs3 s ON s.doc_id = d.doc_id ORDER BY d.doc_id FOR UPDATE OF d");
        }
    }

    private static UpsertResult merge(Connection c, Generation g, String docs, String vec, IndexTally tally)
            throws SQLException {
        String collection = g.collection();
        try (Statement st = c.createStatement()) {
            // An older version than the stored one is ignored; NULL versions compare as "not older". Of
            // equal versions, a re-embed's replay of a stored copy loses to vectors made from a later offset
            // of the documents topic (it must not overwrite what the live embedder made of a newer change).
            // Live vectors never compare offsets: a reset broker starts counting again.
            int stale = st.executeUpdate("UPDATE es_stage_docs3 s SET action = " + ACTION_STALE + " FROM " + docs
                    + " d WHERE d.doc_id = s.doc_id AND (s.version < d.version OR (s.version IS NOT DISTINCT FROM d.version"
                    + " AND s.replayed AND s.source_offset < d.source_offset))");
            // Same content (a re-delivery or a metadata-only change): keep the vectors, update the row.
            int unchanged = st.executeUpdate("UPDATE es_stage_docs3 s SET action = " + ACTION_UNCHANGED + " FROM "
                    + docs + " d WHERE d.doc_id = s.doc_id AND s.action = " + ACTION_REPLACE
                    + " AND d.content_hash = s.content_hash");
            int removed = st.executeUpdate("DELETE FROM " + vec + " v USING es_stage_docs3 s"
                    + " WHERE v.doc_id = s.doc_id AND s.action = " + ACTION_REPLACE);
            int chunks = st.executeUpdate("INSERT INTO " + vec + " (doc_id, chunk_index, chunk_text, embedding)"
                    + " SELECT c.doc_id, c.chunk_index, c.chunk_text, c.embedding FROM es_stage_chunks c"
                    + " JOIN es_stage_docs3 s ON s.doc_id = c.doc_id WHERE s.action = " + ACTION_REPLACE);
            int replaced = countExisting(st, docs);
            int written = st.executeUpdate("INSERT INTO " + docs
                    + " (doc_id, version, content_hash, text_hash, source_offset, chunk_count, metadata, text, embedded_at)"
                    + " SELECT doc_id, version, content_hash, text_hash, source_offset, chunk_count, metadata, text, now()"
                    + " FROM es_stage_docs3 WHERE action > " + ACTION_STALE + " ON CONFLICT (doc_id) DO UPDATE SET"
                    + " version = EXCLUDED.version, content_hash = EXCLUDED.content_hash, text_hash = EXCLUDED.text_hash,"
                    + " source_offset = EXCLUDED.source_offset,"
                    + " chunk_count = EXCLUDED.chunk_count, metadata = EXCLUDED.metadata,"
                    + " text = coalesce(EXCLUDED.text, " + docs + ".text),"
                    + " embedded_at = CASE WHEN " + docs + ".content_hash = EXCLUDED.content_hash"
                    + " THEN " + docs + ".embedded_at ELSE EXCLUDED.embedded_at END"
                    + " WHERE " + docs + ".version IS NULL OR EXCLUDED.version IS NULL"
                    + " OR EXCLUDED.version >= " + docs + ".version");
            int inserted = written - replaced - unchanged;
            tally.add(g, chunks, removed, 0);
            return new UpsertResult(collection, inserted, replaced, unchanged, stale, 0, chunks);
        }
    }

    private static int countExisting(Statement st, String docs) throws SQLException {
        try (var rs = st.executeQuery("SELECT count(*) FROM es_stage_docs3 s JOIN " + docs
                + " d ON d.doc_id = s.doc_id WHERE s.action = " + ACTION_REPLACE)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
