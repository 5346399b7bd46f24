package dev.embedstream.writer;

import java.util.Map;

/** One search result: a chunk of a document and its cosine similarity to the query (1 = same direction). */
public record SearchHit(String id, int chunkIndex, double score, String text, Map<String, Object> metadata) {
}
