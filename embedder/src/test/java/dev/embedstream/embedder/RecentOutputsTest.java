package dev.embedstream.embedder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.embedstream.contracts.DocumentKey;
import org.junit.jupiter.api.Test;

class RecentOutputsTest {

    @Test
    void shouldVouchOnlyForWhatItKnows() {
        // Given a memory of two documents sent on
        RecentOutputs recent = new RecentOutputs(2);
        recent.put(new DocumentKey("c", "a"), "h1");
        recent.put(new DocumentKey("c", "b"), RecentOutputs.DELETED);
        // Then same content agrees, other content or a pending delete does not, an unknown key does
        assertThat(recent.agrees(new DocumentKey("c", "a"), "h1")).isTrue();
        assertThat(recent.agrees(new DocumentKey("c", "a"), "h2")).isFalse();
        assertThat(recent.agrees(new DocumentKey("c", "b"), "h1")).isFalse();
        assertThat(recent.agrees(new DocumentKey("c", "z"), "h1")).isTrue();
        // When an entry had to be dropped for room
        recent.put(new DocumentKey("c", "c"), "h3");
        // Then unknown keys are no longer vouched for
        assertThat(recent.agrees(new DocumentKey("c", "z"), "h1")).isFalse();
    }
}
