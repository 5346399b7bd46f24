package dev.embedstream.maintenance;

import dev.embedstream.contracts.PgvectorVersion;
import java.util.List;
import java.util.Objects;

/**
 * What {@link IndexHealth#check()} found.
 *
 * @param pgvector      the installed pgvector version ({@code extversion})
 * @param serverVersion PostgreSQL's {@code server_version}
 * @param indexes       every HNSW index of the collections' vector tables, and every invalid index of
 *                      those tables whatever its kind, ordered by collection and index name
 * @param warnings      what needs attention, in plain words: version consequences, invalid indexes,
 *                      collections whose index or table is missing
 */
public record HealthReport(PgvectorVersion pgvector, String serverVersion, List<IndexReport> indexes,
                           List<String> warnings) {

    public HealthReport {
        Objects.requireNonNull(pgvector, "pgvector");
        Objects.requireNonNull(serverVersion, "serverVersion");
        indexes = List.copyOf(indexes);
        warnings = List.copyOf(warnings);
    }

    /** The indexes left invalid by a failed build; see {@link IndexReport#isInvalid()}. */
    public List<IndexReport> invalidIndexes() {
        return indexes.stream().filter(IndexReport::isInvalid).toList();
    }
}
