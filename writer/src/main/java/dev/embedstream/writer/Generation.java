package dev.embedstream.writer;

import dev.embedstream.contracts.ModelId;

/**
 * One model's vectors of a collection, in tables of their own. A collection has one active
 * generation (the one search reads); a re-embed builds a second beside it and then cuts over.
 *
 * @param provider     {@code local} or {@code openai}: who serves the model
 * @param chunkOverlap tokens shared by consecutive chunks of long texts
 * @param indexBuilt   false while a building generation is bulk-loaded without its HNSW index
 * @param efSearch     the ef_search `embedstream tune` chose for it, or null
 */
public record Generation(String collection, int number, String provider, ModelId model, int chunkOverlap,
                         String docsTable, String vectorTable, String indexName, int hnswM, int hnswEfConstruction,
                         State state, boolean indexBuilt, Integer efSearch) {

    /** Where a generation is in its life. */
    public enum State {
        /** Search reads it; the embedder keeps it current. */
        ACTIVE,
        /** Being filled by a re-embed; the embedder keeps it current too. */
        BUILDING,
        /** Replaced by a newer generation; its tables are kept until dropped. */
        RETIRED,
        /** Its tables are gone; vectors of its model still in flight are ignored. */
        DROPPED;

        public boolean isLive() {
            return this == ACTIVE || this == BUILDING;
        }

        public boolean hasTables() {
            return this != DROPPED;
        }
    }

    /** Provider of vectors of models served by an OpenAI-compatible API. */
    public static final String PROVIDER_OPENAI = "openai";
    public static final String PROVIDER_LOCAL = "local";

    /** The provider that serves a model, from the model's variant ({@code api} for an HTTP API). */
    public static String providerOf(ModelId model) {
        return "api".equals(model.variant()) ? PROVIDER_OPENAI : PROVIDER_LOCAL;
    }
}
