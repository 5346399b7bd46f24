package dev.embedstream.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadADeclaredLengthBodyWhole() throws Exception {
        // Given a body of the declared length, When read, Then it comes back whole
        assertThat(RequestBody.read(stream("{\"id\":\"a\"}"), 100, 10)).asString(StandardCharsets.UTF_8)
                .isEqualTo("{\"id\":\"a\"}");
    }

    @Test
    void shouldRefuseABodyLongerThanItsDeclaredLengthOrTheLimit() throws Exception {
        // Given more bytes than declared, or a declared length over the limit, Then there is no body
        assertThat(RequestBody.read(stream("0123456789"), 100, 5)).isNull();
        assertThat(RequestBody.read(stream("0123456789"), 8, 10)).isNull();
        assertThat(RequestBody.read(stream("0123456789"), 8, -1)).isNull();
    }

    @Test
    void shouldFailABodyCutShortOfItsDeclaredLength() {
        // Given a connection that ends early, Then the read fails instead of publishing a truncated body
        assertThatThrownBy(() -> RequestBody.read(stream("01234"), 100, 10)).isInstanceOf(EOFException.class)
                .hasMessageContaining("5 of 10");
    }

    @Test
    void shouldReadABodyWithoutADeclaredLengthUpToTheLimit() throws Exception {
        assertThat(RequestBody.read(stream("0123456789"), 10, -1)).hasSize(10);
    }
}
