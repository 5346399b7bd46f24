package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentHashTest {

    private static final ModelId MINI = new ModelId("all-minilm-l6-v2", "fp32", 384, 256);

    @Test
    void shouldChangeWhenTheModelChanges() {
        // Given the same text and chunking
        String a = ContentHash.of(MINI, "overlap=32", "hello");
        // When the model variant or window differs
        String b = ContentHash.of(new ModelId("all-minilm-l6-v2", "int8", 384, 256), "overlap=32", "hello");
        String c = ContentHash.of(new ModelId("all-minilm-l6-v2", "fp32", 384, 128), "overlap=32", "hello");
        // Then so does the hash, so a model change is never mistaken for "nothing to do"
        assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void shouldChangeWhenChunkingOrTextChangesAndBeStableOtherwise() {
        assertThat(ContentHash.of(MINI, "overlap=32", "hello")).isEqualTo(ContentHash.of(MINI, "overlap=32", "hello"))
                .isNotEqualTo(ContentHash.of(MINI, "overlap=0", "hello"))
                .isNotEqualTo(ContentHash.of(MINI, "overlap=32", "hello!"));
        // Field boundaries are length-prefixed, so shifting text between fields cannot collide
        assertThat(ContentHash.of(MINI, "ab", "c")).isNotEqualTo(ContentHash.of(MINI, "a", "bc"));
    }
}
