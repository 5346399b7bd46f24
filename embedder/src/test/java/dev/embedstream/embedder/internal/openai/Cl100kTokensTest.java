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
    void shouldLeaveNoGapBetweenPiecesEvenWithoutOverlap() {
        // Given a long text of multi-byte characters whose tokens split characters
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            sb.append("\u7b2c").append(i).append("\u7ae0 \u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3002\ud83d\ude00 ");
        }
        String text = sb.toString();
        // When chunked with no overlap
        List<String> pieces = tokens.chunk(text, 64, 0);
        // Then the pieces follow each other through the whole text with no character left out
        // (a cut inside a character widens both neighbours to the whole character, so they may share it)
        int end = 0;
        for (String piece : pieces) {
            int from = Math.max(0, end - 2);
            assertThat(text.indexOf(piece, from)).isBetween(from, end);
            assertThat(tokens.count(piece)).isLessThanOrEqualTo(64);
            end = text.indexOf(piece, from) + piece.length();
        }
        assertThat(end).isEqualTo(text.length());
    }

    @Test
    void shouldReturnAShortTextWhole() {
        assertThat(tokens.chunk("short", 512, 32)).containsExactly("short");
    }
}
