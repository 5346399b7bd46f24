package dev.embedstream.maintenance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.contracts.PgvectorVersion;
import org.junit.jupiter.api.Test;

class HealthWarningsTest {

    @Test
    void shouldWarnAboutParallelBuildsAndVacuumOnPgvector080() {
        // When pgvector 0.8.0 is installed
        // Then HNSW builds run without parallel workers and HNSW tables are reindexed before vacuum
        assertThat(HealthWarnings.forVersion(PgvectorVersion.parse("0.8.0"))).containsExactly(
                "pgvector 0.8.0 < 0.8.2: HNSW indexes are built without parallel workers (CVE-2026-3172)",
                "pgvector 0.8.0 < 0.8.4: vacuuming an HNSW index beside inserts can corrupt it,"
                        + " so HNSW tables are reindexed before vacuum (pgvector#993)");
    }

    @Test
    void shouldAlsoWarnAboutFilteredSearchBeforeIterativeScans() {
        // When pgvector 0.7.4 is installed
        // Then filtered searches may come back short as well
        assertThat(HealthWarnings.forVersion(PgvectorVersion.parse("0.7.4")))
                .hasSize(3)
                .first().asString().contains("0.7.4 < 0.8.0", "iterative_scan");
    }

    @Test
    void shouldOnlyWarnAboutVacuumBetween082And083() {
        // When pgvector 0.8.2 or 0.8.3 is installed
        // Then only the vacuum race remains
        assertThat(HealthWarnings.forVersion(PgvectorVersion.parse("0.8.2"))).singleElement()
                .asString().contains("pgvector#993");
        assertThat(HealthWarnings.forVersion(PgvectorVersion.parse("0.8.3"))).singleElement()
                .asString().startsWith("pgvector 0.8.3 < 0.8.4");
    }

    @Test
    void shouldNotWarnFrom084On() {
        // When pgvector 0.8.4 or newer is installed
        // Then the version needs no warning
        assertThat(HealthWarnings.forVersion(PgvectorVersion.parse("0.8.4"))).isEmpty();
        assertThat(HealthWarnings.forVersion(PgvectorVersion.parse("0.9.0"))).isEmpty();
    }

    @Test
    void shouldReadIntegerIndexOptionsWithDefaults() {
        // Given reloptions as PostgreSQL stores them
        String[] options = {"m=8", "ef_construction=32"};
        // Then each option is read, and a missing one falls back to pgvector's default
        assertThat(HealthQueries.option(options, "m", 16)).isEqualTo(8);
        assertThat(HealthQueries.option(options, "ef_construction", 64)).isEqualTo(32);
        assertThat(HealthQueries.option(new String[0], "m", 16)).isEqualTo(16);
    }
}
