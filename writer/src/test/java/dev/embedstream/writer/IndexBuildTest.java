package dev.embedstream.writer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexBuildTest {

    private static final String NOTICE = "hnsw graph no longer fits into maintenance_work_mem after 28967 tuples";

    @Test
    void shouldAdviseRaisingTheBoundWhenItHeldTheBuildBack() {
        // Given a build held to 1,024 MB of the 2,700 its graph wants, which outgrew it
        VectorStore.IndexBuild build = new VectorStore.IndexBuild(1_000_000, 1024, 2700, NOTICE);

        // Then the advice names the setting and quotes pgvector
        assertThat(build.advice()).get().asString()
                .contains("wants ~2,700 MB", "allows 1,024 MB", WriterConfig.MAX_WORK_MEM_MB, "raise it", NOTICE);
    }

    @Test
    void shouldNotBlameTheBoundWhenTheGraphOutgrewMemoryItWasNotHeldFrom() {
        // Given a build given all the estimate asked for, which still outgrew it
        VectorStore.IndexBuild build = new VectorStore.IndexBuild(30_000, 82, 82, NOTICE);

        // Then the advice says the estimate was short, not to raise the bound
        assertThat(build.advice()).get().asString().contains("outgrew the 82 MB estimated", NOTICE)
                .doesNotContain(WriterConfig.MAX_WORK_MEM_MB);
    }

    @Test
    void shouldGiveNoAdviceWhenTheGraphFitted() {
        assertThat(new VectorStore.IndexBuild(10_000, 64, 64, null).advice()).isEmpty();
    }
}
