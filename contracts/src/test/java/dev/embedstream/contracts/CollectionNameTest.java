package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CollectionNameTest {

    @Test
    void shouldAcceptExactlyWhatTheDocumentedPatternAccepts() {
        // Given every UTF-16 unit in the first and in a later position, and the length limits
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            for (String name : new String[] {c + "", c + "a", "a" + c, "a" + c + "b"}) {
                // Then the check and the pattern agree
                assertThat(CollectionName.isValid(name)).as("%s", (int) c)
                        .isEqualTo(CollectionName.pattern().matcher(name).matches());
            }
        }
        assertThat(CollectionName.isValid("a".repeat(CollectionName.MAX_LENGTH))).isTrue();
        assertThat(CollectionName.isValid("a".repeat(CollectionName.MAX_LENGTH + 1))).isFalse();
        assertThat(CollectionName.isValid("")).isFalse();
        assertThat(CollectionName.isValid(null)).isFalse();
    }
}
