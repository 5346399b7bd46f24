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

    @Test
    void shouldDeleteFirstWhenADocumentIsDeletedAndCreatedAgainInOneBatch() {
        // Given a delete followed by a re-create with a low version
        List<Change> batch = List.of(new Change.Delete(new DocumentKey("c", "a")), upsert("a", 1L));
        // When reduced
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(batch).get("c");
        // Then the re-create survives and the stored document is removed before it
        assertThat(reduced.changes()).singleElement().isInstanceOf(Change.Upsert.class);
        assertThat(reduced.deleteFirst()).containsExactly("a");
    }

    @Test
    void shouldLetALaterDeleteWin() {
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(List.of(upsert("a", 3L), new Change.Delete(new DocumentKey("c", "a"))))
                .get("c");
        assertThat(reduced.changes()).singleElement().isInstanceOf(Change.Delete.class);
        assertThat(reduced.deleteFirst()).isEmpty();
    }

    @Test
    void shouldKeepTheNewestOfTwoUpserts() {
        ChangeReducer.Reduced reduced = ChangeReducer.reduce(List.of(upsert("a", 5L), upsert("a", 2L))).get("c");
        assertThat(((Change.Upsert) reduced.changes().get(0)).document().version()).isEqualTo(5L);
    }

    private static Change upsert(String id, Long version) {
        return new Change.Upsert(new EmbeddedDocument("c", id, version, "h" + version, MODEL, Map.of(),
                List.of(new Chunk(0, "t", new float[] {1, 0}))));
    }
}
