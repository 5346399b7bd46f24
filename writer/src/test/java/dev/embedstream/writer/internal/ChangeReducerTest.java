package dev.embedstream.writer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.contracts.Chunk;
import dev.embedstream.contracts.DocumentKey;
import dev.embedstream.contracts.EmbeddedDocument;
import dev.embedstream.contracts.ModelId;
import dev.embedstream.writer.Change;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeReducerTest {

    private static final ModelId MODEL = new ModelId("m", "fp32", 2, 16);

    private static final ModelId OTHER = new ModelId("n", "api", 3, 16);

    @Test
    void shouldDeleteFirstWhenADocumentIsDeletedAndCreatedAgainInOneBatch() {
        // Given a delete followed by a re-create with a low version
        List<Change> batch = List.of(new Change.Delete(new DocumentKey("c", "a")), upsert("a", 1L));
        // When reduced
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(batch).get("c");
        // Then the stored document is removed before the re-create is applied
        assertThat(reduced.deletes()).containsExactly("a");
        assertThat(reduced.upserts()).singleElement().extracting(EmbeddedDocument::version).isEqualTo(1L);
    }

    @Test
    void shouldLetALaterDeleteWin() {
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(List.of(upsert("a", 3L), new Change.Delete(new DocumentKey("c", "a"))))
                .get("c");
        assertThat(reduced.upserts()).isEmpty();
        assertThat(reduced.deletes()).containsExactly("a");
    }

    @Test
    void shouldKeepTheNewestOfTwoUpserts() {
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(List.of(upsert("a", 5L), upsert("a", 2L))).get("c");
        assertThat(reduced.upserts()).singleElement().extracting(EmbeddedDocument::version).isEqualTo(5L);
    }

    @Test
    void shouldKeepOneUpsertPerModelOfADocument() {
        // Given vectors of one document from the active and the building model
        Change other = new Change.Upsert(new EmbeddedDocument("c", "a", 1L, "x", "t", OTHER, Map.of(),
                List.of(new Chunk(0, "t", new float[] {1, 0, 0})), null, false, null));
        // When reduced
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(List.of(upsert("a", 1L), other)).get("c");
        // Then both survive
        assertThat(reduced.upserts()).extracting(EmbeddedDocument::model).containsExactly(MODEL, OTHER);
    }

    @Test
    void shouldNotLetAReplayOfAnOlderOffsetWinWithinABatch() {
        // Given the live vectors of offset 9, then a re-embed's replay of the copy stored at offset 4
        Change live = withOffset("a", 9L, false, "live");
        Change replay = withOffset("a", 4L, true, "replay");
        // When reduced
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(List.of(live, replay)).get("c");
        // Then the live vectors stay
        assertThat(reduced.upserts()).singleElement().extracting(EmbeddedDocument::contentHash).isEqualTo("live");
    }

    @Test
    void shouldLetALaterLiveChangeWinWhateverItsOffset() {
        // Given a broker that was reset: a later live change carries a smaller offset
        Change before = withOffset("a", 900L, false, "before");
        Change after = withOffset("a", 3L, false, "after");
        // When reduced
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(List.of(before, after)).get("c");
        // Then arrival order decides
        assertThat(reduced.upserts()).singleElement().extracting(EmbeddedDocument::contentHash).isEqualTo("after");
    }

    private static Change withOffset(String id, Long offset, boolean replayed, String hash) {
        return new Change.Upsert(new EmbeddedDocument("c", id, null, hash, "t", MODEL, Map.of(),
                List.of(new Chunk(0, "t", new float[] {1, 0})), offset, replayed, null));
    }

    private static Change upsert(String id, Long version) {
        return new Change.Upsert(new EmbeddedDocument("c", id, version, "h" + version, "t" + version, MODEL, Map.of(),
                List.of(new Chunk(0, "t", new float[] {1, 0})), null, false, null));
    }
}
