package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgvectorVersionTest {

    @Test
    void shouldAvoidParallelBuildsAndVacuumRacesOnOldVersions() {
        PgvectorVersion debian = PgvectorVersion.parse("0.8.0");
        assertThat(debian.parallelHnswBuildSafe()).isFalse();
        assertThat(debian.hnswVacuumSafeBesideInserts()).isFalse();
        assertThat(debian.hasIterativeScan()).isTrue();
        assertThat(PgvectorVersion.parse("0.8.2").parallelHnswBuildSafe()).isTrue();
        assertThat(PgvectorVersion.parse("0.8.3").hnswVacuumSafeBesideInserts()).isFalse();
        assertThat(PgvectorVersion.parse("0.8.4").hnswVacuumSafeBesideInserts()).isTrue();
        assertThat(PgvectorVersion.parse("0.7").toString()).isEqualTo("0.7.0");
    }
}
