package dev.embedstream.writer;

import java.time.Duration;

/**
 * How completely one generation of a collection holds the current content of its source, counted
 * exactly. The source is the collection's table, or for a collection fed only through the topic the
 * active generation (what a re-embed must reproduce); documents still in Kafka show as consumer lag.
 *
 * @param role          {@code active} (search reads it) or {@code building} (a re-embed fills it)
 * @param total         source documents with non-blank text
 * @param current       stored with the source's current text
 * @param stale         stored, but the source's text has changed since
 * @param missing       not stored at all
 * @param deadLettered  of the stale and missing, those whose current content was dead-lettered
 * @param orphaned      stored, but gone from the source (their delete is still on its way)
 * @param oldestPending age of the oldest stale or missing document, when the source says when it changed
 */
public record Coverage(String collection, int generation, String model, String role, long total, long current,
                       long stale, long missing, long deadLettered, long orphaned, Duration oldestPending) {

    /** Current over total; 1 for an empty source. */
    public double ratio() {
        return total == 0 ? 1.0 : (double) current / total;
    }
}
