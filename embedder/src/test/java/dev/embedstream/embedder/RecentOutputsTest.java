package dev.embedstream.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.contracts.DocumentKey;
import org.junit.jupiter.api.Test;

class RecentOutputsTest {

    private static final DocumentKey A = new DocumentKey("c", "a");
    private static final DocumentKey B = new DocumentKey("c", "b");
    private static final DocumentKey Z = new DocumentKey("c", "z");

    @Test
    void shouldVouchOnlyForWhatItKnows() {
        // Given a memory of two documents sent on
        RecentOutputs recent = new RecentOutputs(2);
        recent.put(A, "m", "h1");
        recent.deleted(B);
        // Then same content agrees, other content or a pending delete does not, an unknown key does
        assertThat(recent.agrees(A, "m", "h1")).isTrue();
        assertThat(recent.agrees(A, "m", "h2")).isFalse();
        assertThat(recent.agrees(B, "m", "h1")).isFalse();
        assertThat(recent.agrees(Z, "m", "h1")).isTrue();
        // When an entry had to be dropped for room
        recent.put(new DocumentKey("c", "c"), "m", "h3");
        // Then unknown keys are no longer vouched for
        assertThat(recent.agrees(Z, "m", "h1")).isFalse();
    }

    @Test
    void shouldKeepTheHashesOfTwoModelsApart() {
        // Given vectors of one document sent on for the active and the building model
        RecentOutputs recent = new RecentOutputs(10);
        recent.put(A, "old", "h-old");
        recent.put(A, "new", "h-new");
        // Then each model's hash is vouched for on its own
        assertThat(recent.agrees(A, "old", "h-old")).isTrue();
        assertThat(recent.agrees(A, "new", "h-new")).isTrue();
        // And a delete voids both
        recent.deleted(A);
        assertThat(recent.agrees(A, "old", "h-old")).isFalse();
        assertThat(recent.agrees(A, "new", "h-new")).isFalse();
    }
}
