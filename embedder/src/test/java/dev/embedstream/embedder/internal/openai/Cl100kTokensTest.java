package dev.embedstream.embedder.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class Cl100kTokensTest {

    private final Cl100kTokens tokens = new Cl100kTokens();

    @Test
    void shouldCountRealTokens() {
        assertThat(tokens.count("hello world")).isEqualTo(2);
    }

    @Test
    void shouldChunkALongTextIntoPiecesThatEachFitAndCoverItInOrder() {
        // Given a text of about 3,000 tokens with multi-byte characters
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            text.append("Paragraph ").append(i).append(": caf\u00e9 na\u00efve \u00fcber \u65e5\u672c. ");
        }
        // When chunked to 512-token windows with 32 tokens of overlap
        List<String> pieces = tokens.chunk(text.toString(), 512, 32);
        // Then every piece fits, nothing is altered, and the pieces run through the text in order
        assertThat(pieces).hasSizeGreaterThan(5);
        assertThat(pieces).allSatisfy(p -> {
            assertThat(tokens.count(p)).isLessThanOrEqualTo(512);
            assertThat(text.toString()).contains(p);
        });
        assertThat(text.toString()).startsWith(pieces.get(0)).endsWith(pieces.get(pieces.size() - 1));
    }

    @Test
    void shouldReturnAShortTextWhole() {
        assertThat(tokens.chunk("short", 512, 32)).containsExactly("short");
    }
}
