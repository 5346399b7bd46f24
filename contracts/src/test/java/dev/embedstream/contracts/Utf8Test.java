package dev.embedstream.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void shouldAgreeWithTheJdkDecoderOnEveryOneAndTwoByteSequence() {
        for (int a = 0; a < 256; a++) {
            assertAgrees(new byte[] {(byte) a});
            for (int b = 0; b < 256; b++) {
                assertAgrees(new byte[] {(byte) a, (byte) b});
            }
        }
    }

    @Test
    void shouldAgreeWithTheJdkDecoderOnThreeByteSequencesWithAMultiByteLeadAndEverySecondByte() {
        // Every lead and second byte; the third at the edges of the ranges that decide validity
        int[] thirds = {0x00, 0x41, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF};
        byte[] three = new byte[3];
        for (int a = 0xC0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : thirds) {
                    three[0] = (byte) a;
                    three[1] = (byte) b;
                    three[2] = (byte) c;
                    assertAgrees(three);
                }
            }
        }
    }

    @Test
    void shouldAgreeWithTheJdkDecoderOnRandomFourByteLeadsAndMixedText() {
        SplittableRandom random = new SplittableRandom(42);
        for (int n = 0; n < 200_000; n++) {
            byte[] bytes = new byte[1 + random.nextInt(12)];
            for (int i = 0; i < bytes.length; i++) {
                // Bias towards the interesting region: leads F0-F4 and continuation bytes 80-BF.
                int pick = random.nextInt(4);
                bytes[i] = (byte) (pick == 0 ? 0xF0 + random.nextInt(8) : pick == 1 ? 0x80 + random.nextInt(64)
                        : pick == 2 ? random.nextInt(128) : random.nextInt(256));
            }
            assertAgrees(bytes);
        }
    }

    @Test
    void shouldAcceptRealTextAndCheckOnlyTheGivenRange() {
        // Given valid text between two invalid bytes
        byte[] text = "héllo, wörld — 日本語 😀".getBytes(StandardCharsets.UTF_8);
        byte[] framed = new byte[text.length + 2];
        framed[0] = (byte) 0xFF;
        System.arraycopy(text, 0, framed, 1, text.length);
        framed[framed.length - 1] = (byte) 0xC3;

        // Then the range alone is valid, the whole is not, and a code point cut at the range's end is not
        assertThat(Utf8.isValid(framed, 1, text.length)).isTrue();
        assertThat(Utf8.isValid(framed)).isFalse();
        assertThat(Utf8.isValid(text, 0, text.length - 1)).isFalse();
    }

    private static void assertAgrees(byte[] bytes) {
        boolean jdk = jdkAccepts(bytes);
        if (Utf8.isValid(bytes) != jdk) {
            org.assertj.core.api.Assertions.fail("%s: the JDK says %s", java.util.HexFormat.ofDelimiter(" ").formatHex(bytes),
                    jdk ? "valid" : "invalid");
        }
    }

    // decode(ByteBuffer) resets the decoder first, so one serves every call of this single-threaded test
    private static final java.nio.charset.CharsetDecoder JDK = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            JDK.decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
