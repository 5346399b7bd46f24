package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ThrowablesTest {

    @Test
    void shouldFindTheDeepestCause() {
        // Given a failure wrapped twice
        IOException root = new IOException("unable to find valid certification path");
        RuntimeException wrapped = new IllegalStateException("outer", new RuntimeException("middle", root));

        // When its root is asked for, Then it is the innermost one
        assertThat(Throwables.root(wrapped)).isSameAs(root);
    }

    @Test
    void shouldBeTheFailureItselfWhenItHasNoCause() {
        RuntimeException alone = new RuntimeException("alone");

        assertThat(Throwables.root(alone)).isSameAs(alone);
    }
}
