package dev.embedstream.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A document as an application hands it to {@link EmbedstreamClient#publish(String, ClientDocument)}.
 *
 * <p>Nothing is checked here: the rules of the documents topic are applied when it is published, so
 * a bad document fails its future with the reason instead of throwing where it was built.
 *
 * @param id       unique within its collection: 1-512 UTF-8 bytes, not blank, no control characters
 * @param text     the text to embed: not blank, at most 512 KiB of UTF-8, no NUL character
 * @param metadata free-form JSON-like values stored beside the vectors and returned by search; may be empty
 * @param version  optional, non-negative; an older version never overwrites a newer one
 */
public record ClientDocument(String id, String text, Map<String, Object> metadata, Long version) {

    public ClientDocument {
        // Not Map.copyOf: metadata is JSON, where null values are legal.
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A document with no metadata and no version. */
    public static ClientDocument of(String id, String text) {
        return new ClientDocument(id, text, Map.of(), null);
    }

    /** This document with other metadata. */
    public ClientDocument withMetadata(Map<String, Object> newMetadata) {
        return new ClientDocument(id, text, newMetadata, version);
    }

    /** This document with a version, e.g. a row's revision counter or an update timestamp in milliseconds. */
    public ClientDocument withVersion(long newVersion) {
        return new ClientDocument(id, text, metadata, newVersion);
    }
}
